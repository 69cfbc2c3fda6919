//! The same client inside a service worker (as in the extension's background), against the REAL
//! server: no window, no XMLHttpRequest, `setTimeout` and `fetch` from the worker's global
//! scope. Servers come from `./build.sh test` (V2A_TEST_SERVER at compile time).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use video_to_audio::wasm::Client;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_service_worker);

fn server() -> &'static str {
    match option_env!("V2A_TEST_SERVER") {
        Some(url) => url,
        None => panic!(
            "the browser tests need the real server: run them with ./build.sh test, which \
             starts it and sets V2A_TEST_SERVER at compile time"
        ),
    }
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).expect("an object")
}

async fn resolve(promise: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

/// One second of a 440 Hz tone as 8 kHz 16-bit mono WAV.
fn tone_wav() -> Vec<u8> {
    let samples: Vec<i16> = (0..8_000)
        .map(|n| ((n as f64 / 8_000.0 * 440.0 * std::f64::consts::TAU).sin() * 12_000.0) as i16)
        .collect();
    let data_len = (samples.len() * 2) as u32;
    let mut wav = Vec::new();
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    for field in [
        16u32.to_le_bytes(),
        [1, 0, 1, 0],
        8_000u32.to_le_bytes(),
        16_000u32.to_le_bytes(),
        [2, 0, 16, 0],
    ] {
        wav.extend_from_slice(&field);
    }
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    samples
        .iter()
        .for_each(|s| wav.extend_from_slice(&s.to_le_bytes()));
    wav
}

#[wasm_bindgen_test]
async fn the_client_works_in_a_service_worker() {
    let global = js_sys::global();
    assert!(
        get(&global, "XMLHttpRequest").is_undefined(),
        "a service worker has no XHR"
    );
    assert!(get(&global, "document").is_undefined(), "and no DOM");

    let options = js_sys::JSON::parse(&format!(r#"{{"baseUrl": "{}"}}"#, server())).expect("json");
    let c = Client::new(options).expect("a client");
    resolve(c.health()).await.expect("health");

    let wav = tone_wav();
    let bag = web_sys::FilePropertyBag::new();
    bag.set_type("audio/wav");
    let file = web_sys::File::new_with_u8_array_sequence_and_options(
        &Array::of1(&Uint8Array::from(&wav[..])),
        "worker.wav",
        &bag,
    )
    .expect("a File");
    let seen = Array::new();
    let record = {
        let seen = seen.clone();
        Closure::<dyn FnMut(JsValue, JsValue)>::new(move |sent: JsValue, _total: JsValue| {
            seen.push(&sent);
        })
    };
    let media = resolve(c.upload_file(
        file.into(),
        Some(record.as_ref().unchecked_ref::<Function>().clone()),
        None,
    ))
    .await
    .expect("upload through fetch");
    assert_eq!(get(&media, "container").as_string().as_deref(), Some("wav"));
    let sent: Vec<f64> = seen.iter().filter_map(|v| v.as_f64()).collect();
    assert_eq!(
        sent,
        [0.0, wav.len() as f64],
        "no byte progress without XHR: 0, then all"
    );

    let outcome = resolve(c.run("extract the audio as mp3".into(), None))
        .await
        .expect("run");
    let produced = Array::from(&get(&outcome, "media")).get(0);
    assert_eq!(
        get(&produced, "status").as_string().as_deref(),
        Some("done")
    );
    let url = c.download_url(produced).expect("a link");
    let fetch: Function = get(&global, "fetch").unchecked_into();
    let response: web_sys::Response = resolve(
        fetch
            .call1(&global, &url.into())
            .expect("fetch")
            .unchecked_into(),
    )
    .await
    .expect("download")
    .unchecked_into();
    assert_eq!(response.status(), 200);
}
