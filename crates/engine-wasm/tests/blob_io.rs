//! The binding's input and output in a real dedicated worker of headless Chromium (where the
//! engine runs): a `Blob` read at any offset through `FileReaderSync`, and output gathered as
//! `Blob` parts whose header is patched at the end, read back byte for byte.
#![cfg(target_arch = "wasm32")]

mod common;

use std::io::{Read, Seek, SeekFrom};

use common::read_blob;
use js_sys::{Array, Uint8Array};
use v2a_engine::{EngineError, Sink, Source, SourceReader, VecSink};
use v2a_engine_wasm::sink::BlobSink;
use v2a_engine_wasm::source::{Ahead, BlobSource};
use wasm_bindgen_test::*;
use web_sys::Blob;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn bytes(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 7 + i / 251) as u8).collect()
}

/// A Blob of `data` made of several parts, as page-bytes.js makes a page video's.
fn blob_of(data: &[u8], part: usize) -> Blob {
    let parts = Array::new();
    for chunk in data.chunks(part) {
        parts.push(
            &Blob::new_with_u8_array_sequence(&Array::of1(&Uint8Array::from(chunk))).unwrap(),
        );
    }
    Blob::new_with_blob_sequence(&parts).unwrap()
}

#[wasm_bindgen_test]
fn a_blob_is_read_at_any_offset_across_its_parts() {
    let data = bytes(100_000);
    let mut source = BlobSource::new(blob_of(&data, 30_000), Default::default()).unwrap();
    assert_eq!(source.len(), 100_000);
    let mut buf = vec![0; 5_000];
    assert_eq!(
        source.read_at(29_000, &mut buf).unwrap(),
        5_000,
        "across a part boundary"
    );
    assert_eq!(buf, data[29_000..34_000]);
    assert_eq!(
        source.read_at(98_000, &mut buf).unwrap(),
        2_000,
        "short at the end"
    );
    assert_eq!(buf[..2_000], data[98_000..]);
    assert_eq!(
        source.read_at(100_000, &mut buf).unwrap(),
        0,
        "nothing past the end"
    );
    assert_eq!(source.read_at(u64::MAX, &mut buf).unwrap(), 0);

    // The engine's reader over it: seeks and reads as a file would.
    let mut reader = SourceReader::new(source, 4_096);
    reader.seek(SeekFrom::End(-10)).unwrap();
    let mut tail = Vec::new();
    reader.read_to_end(&mut tail).unwrap();
    assert_eq!(tail, data[99_990..]);
    assert_eq!(
        reader.read_exact_at(50_000, 3).unwrap(),
        data[50_000..50_003]
    );
}

#[wasm_bindgen_test]
fn ranges_near_far_backwards_and_longer_than_a_read_come_back_in_order() {
    let data = bytes(10_000_000);
    let mut source = BlobSource::new(blob_of(&data, 3_000_000), Default::default()).unwrap();
    // Neighbours read as one slice, a far one apart, one going back, one past SPAN_BYTES
    // across parts, and a run that outgrows a read.
    let mut ranges = vec![
        (5, 10),
        (100, 1_000),
        (400_000, 7),
        (50, 20),
        (1_000_000, 8_500_000),
    ];
    ranges.extend((0..30).map(|k| (600_000 + k * 250_000, 333)));
    let total = ranges.iter().map(|r| r.1).sum();
    let mut got = vec![0; total];
    source.read_ranges(&ranges, &mut got).unwrap();
    let mut want = vec![0; total];
    data.clone().read_ranges(&ranges, &mut want).unwrap();
    assert!(got == want, "the bytes of each range, one after another");
    // A range past the end is the file cut short, not a short read.
    let err = source
        .read_ranges(&[(9_999_990, 20)], &mut [0; 20])
        .unwrap_err();
    assert!(matches!(err, EngineError::Truncated(_)), "{err:?}");
}

#[wasm_bindgen_test]
fn ranges_come_from_the_windows_fetched_ahead_and_the_rest_is_read() {
    let data = bytes(2_000_000);
    let ahead = std::rc::Rc::new(std::cell::RefCell::new(Ahead::default()));
    let mut source = BlobSource::new(blob_of(&data, 700_000), ahead.clone()).unwrap();
    // Two windows held, with wrong bytes in them: ranges they cover must come from them (and
    // so read back wrong), the rest from the Blob.
    let window = |lo: usize, n: usize| (lo as u64, vec![0xEEu8; n]);
    ahead.borrow_mut().windows = vec![
        window(0, 1_000),
        window(500_000, 100_000),
        window(1_800_000, 1_000),
    ];
    let ranges = [
        (10, 20),
        (990, 20),
        (500_100, 50),
        (599_990, 10),
        (1_500_000, 30),
    ];
    let mut got = vec![0; 130];
    source.read_ranges(&ranges, &mut got).unwrap();
    assert_eq!(got[..20], [0xEE; 20], "inside the first window");
    assert_eq!(got[20..40], data[990..1_010], "past a window's end: read");
    assert_eq!(
        got[40..100],
        [0xEE; 60],
        "inside the second, to its last byte"
    );
    assert_eq!(got[100..], data[1_500_000..1_500_030], "beyond: read");
    // Windows ending within a batch are let go; the one after it is kept for the next.
    let held: Vec<u64> = ahead.borrow().windows.iter().map(|w| w.0).collect();
    assert_eq!(held, [1_800_000]);
    let mut got = vec![0; 5];
    source.read_ranges(&[(1_800_995, 5)], &mut got).unwrap();
    assert_eq!(got, [0xEE; 5]);
    assert!(ahead.borrow().windows.is_empty());
}

#[wasm_bindgen_test]
fn output_becomes_one_blob_with_its_header_patched() {
    // A header written first, then frames of many sizes past the buffer and the part size,
    // then the header's sizes filled in at the end (as the WAV and FLAC writers do).
    let mut blob_sink = BlobSink::new();
    let mut vec_sink = VecSink::default();
    let frames = bytes(9 * 1024 * 1024 + 123);
    for sink in [&mut blob_sink as &mut dyn Sink, &mut vec_sink] {
        sink.write(&[0; 44]).unwrap();
        let mut at = 0;
        let mut size = 1;
        while at < frames.len() {
            let end = (at + size).min(frames.len());
            sink.write(&frames[at..end]).unwrap();
            at = end;
            size = size * 3 % 70_001 + 1;
        }
        sink.patch_head(b"RIFF\x01\x02\x03\x04WAVE").unwrap();
    }
    // Only the first write is kept apart to be patched.
    assert!(
        blob_sink.patch_head(&[0; 45]).is_err(),
        "longer than the header"
    );
    assert_eq!(blob_sink.written(), vec_sink.0.len() as u64);
    let blob = blob_sink.finish("audio/wav").unwrap();
    assert_eq!(blob.type_(), "audio/wav");
    assert_eq!(blob.size() as usize, vec_sink.0.len());
    assert!(
        read_blob(&blob) == vec_sink.0,
        "the Blob holds exactly what was written"
    );
}
