//! `EncoderJob`, the engine's encoder in a second worker, in a real dedicated worker of
//! headless Chromium: from the spec text the job's instance hands over, PCM blocks in, and a
//! `Blob` out that holds the very bytes the encoder makes natively (Info tag patched at the
//! front); a spec that does not read is a failure in the one shape JavaScript gets.
#![cfg(target_arch = "wasm32")]

mod common;

use common::read_blob;
use js_sys::{Reflect, Uint8Array};
use v2a_engine::codec::encode::{EncoderSpec, Output};
use v2a_engine::codec::formats::Mp3Rate;
use v2a_engine::VecSink;
use v2a_engine_wasm::EncoderJob;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Blob;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// `seconds` of a two-tone stereo signal at 44.1 kHz, in blocks of uneven length.
fn blocks(seconds: usize) -> Vec<Vec<f32>> {
    let samples: Vec<f32> = (0..seconds * 44_100)
        .flat_map(|i| {
            let t = i as f32 / 44_100.0;
            let a = (t * 440.0 * std::f32::consts::TAU).sin() * 0.4;
            let b = (t * 554.0 * std::f32::consts::TAU).sin() * 0.2;
            [a + b, a - b]
        })
        .collect();
    samples.chunks(2 * 10_007).map(<[f32]>::to_vec).collect()
}

/// VBR MP3 (LAME's V2) of 44.1 kHz stereo.
fn mp3_v2() -> EncoderSpec {
    EncoderSpec {
        output: Output::Mp3(Mp3Rate::Vbr(2.0)),
        sample_rate: 44_100,
        channels: 2,
        input_rate: 44_100,
    }
}

#[wasm_bindgen_test]
fn an_encoder_job_makes_the_bytes_the_engine_makes_itself() {
    let spec = mp3_v2();
    let mut native = spec.build().unwrap();
    let mut expected = VecSink::default();
    let mut job = EncoderJob::open(&spec.to_text(), "en").unwrap();
    for block in blocks(2) {
        native.encode(&block, &mut expected).unwrap();
        job.encode(&block).unwrap();
    }
    native.finish(&mut expected).unwrap();
    let made = job.finish().unwrap();
    let blob: Blob = Reflect::get(&made, &"blob".into())
        .unwrap()
        .unchecked_into();
    let size = Reflect::get(&made, &"size".into())
        .unwrap()
        .as_f64()
        .unwrap();
    let bytes = read_blob(&blob);
    assert_eq!(
        size as usize,
        bytes.len(),
        "the size says the blob's length"
    );
    assert!(
        bytes.len() > 10_000,
        "two seconds of MP3: {} bytes",
        bytes.len()
    );
    assert!(
        bytes == expected.0,
        "the same bytes as the engine's own encoder"
    );
    assert!(job.encode(&[0.0; 2]).is_err(), "nothing after the end");
}

#[wasm_bindgen_test]
fn a_spec_that_does_not_read_is_a_keyed_failure() {
    let Err(e) = EncoderJob::open("{\"output\":\"Mp3\"}", "zh-CN") else {
        panic!("a spec that does not read is refused");
    };
    let key = Reflect::get(&e, &"key".into()).unwrap().as_string();
    assert_eq!(key.as_deref(), Some("EngineWrite"));
    let message = Reflect::get(&e, &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(
        !message.is_empty() && !message.is_ascii(),
        "worded in Chinese: {message}"
    );
}

#[wasm_bindgen_test]
fn parts_encoded_by_several_encoder_jobs_join_into_the_same_bytes() {
    use v2a_engine::codec::encode::{Encoder, Mp3Parts};
    let spec = mp3_v2();
    let mut native = spec.build().unwrap();
    let mut expected = VecSink::default();
    let mut cutter = Mp3Parts::new(spec).unwrap();
    let mut file = VecSink::default();
    let mut parts = Vec::new();
    for block in blocks(6) {
        native.encode(&block, &mut expected).unwrap();
        cutter.encode(&block, &mut file).unwrap();
    }
    native.finish(&mut expected).unwrap();
    cutter.finish(&mut file).unwrap();
    while let Some(part) = cutter.take() {
        parts.push(part);
    }
    assert_eq!(
        parts.len(),
        3,
        "six seconds are two parts of 2.5 s and what is left"
    );
    // Two workers, each with its own EncoderJob, parts alternately; given back in reverse.
    let mut jobs = [
        EncoderJob::open(&spec.to_text(), "en").unwrap(),
        EncoderJob::open(&spec.to_text(), "en").unwrap(),
    ];
    let mut back = Vec::new();
    for part in parts {
        let job = &mut jobs[part.index as usize % 2];
        let made = job
            .encode_part(part.index, part.preroll, part.samples, part.last)
            .unwrap();
        let bytes: Uint8Array = Reflect::get(&made, &"bytes".into())
            .unwrap()
            .unchecked_into();
        let lengths: js_sys::Uint32Array = Reflect::get(&made, &"lengths".into())
            .unwrap()
            .unchecked_into();
        back.push((part.index, bytes.to_vec(), lengths.to_vec()));
    }
    for (index, bytes, lengths) in back.into_iter().rev() {
        cutter.put(index, bytes, lengths, &mut file).unwrap();
    }
    cutter.finish_file(&mut file).unwrap();
    assert!(
        file.0 == expected.0,
        "the same bytes as one encoder of the whole"
    );
}
