//! The browser client against the REAL server, in headless Chromium: fetch and its body
//! stream, XMLHttpRequest upload progress, AbortController, and the JS values the extension
//! sees. The servers are started by `./build.sh test`, which passes their URLs in at compile
//! time (V2A_TEST_SERVER, V2A_TEST_LIMITED_SERVER).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use video_to_audio::wasm::Client;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const HOW_TO_RUN: &str = "the browser tests need the real server: run them with ./build.sh test, \
     which starts it and sets V2A_TEST_SERVER and V2A_TEST_LIMITED_SERVER at compile time";

fn server() -> &'static str {
    match option_env!("V2A_TEST_SERVER") {
        Some(url) => url,
        None => panic!("{HOW_TO_RUN}"),
    }
}

fn limited_server() -> &'static str {
    match option_env!("V2A_TEST_LIMITED_SERVER") {
        Some(url) => url,
        None => panic!("{HOW_TO_RUN}"),
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn fetch_url(url: &str) -> Promise;
}

/// A client with `options` (a JSON object literal) on top of `{baseUrl}`.
fn client(base: &str, options: serde_json::Value) -> Client {
    let mut all = serde_json::json!({ "baseUrl": base });
    if let (Some(all), Some(extra)) = (all.as_object_mut(), options.as_object()) {
        all.extend(extra.clone());
    }
    let js = js_sys::JSON::parse(&all.to_string()).expect("options convert");
    Client::new(js).expect("a client")
}

async fn resolve(promise: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).expect("an object")
}

/// A WAV file: 16-bit mono PCM at 8 kHz, `seconds` long, a 440 Hz sine.
fn tone_wav(seconds: u32) -> Vec<u8> {
    let rate = 8_000u32;
    let samples = rate * seconds;
    let data_len = samples * 2;
    let mut wav = Vec::with_capacity(44 + data_len as usize);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&rate.to_le_bytes());
    wav.extend_from_slice(&(rate * 2).to_le_bytes());
    wav.extend_from_slice(&2u16.to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    for n in 0..samples {
        let t = n as f64 / rate as f64;
        let s = (t * 440.0 * std::f64::consts::TAU).sin() * 0.5 * i16::MAX as f64;
        wav.extend_from_slice(&(s as i16).to_le_bytes());
    }
    wav
}

/// A `File` as an `<input type=file>` would give it.
fn file(bytes: &[u8], name: &str, mime: &str) -> web_sys::File {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let bag = web_sys::FilePropertyBag::new();
    bag.set_type(mime);
    web_sys::File::new_with_u8_array_sequence_and_options(&parts, name, &bag).expect("a File")
}

/// A JS function that records its arguments.
fn recorder() -> (Function, Rc<RefCell<Vec<JsValue>>>) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let f = Closure::<dyn FnMut(JsValue, JsValue)>::new(move |a: JsValue, b: JsValue| {
        sink.borrow_mut().push(if b.is_undefined() {
            a
        } else {
            Array::of2(&a, &b).into()
        });
    });
    (f.into_js_value().unchecked_into(), seen)
}

/// The first MPEG audio frame header, after an optional ID3v2 tag.
fn first_mp3_frame(bytes: &[u8]) -> Option<&[u8]> {
    let start = if bytes.starts_with(b"ID3") && bytes.len() >= 10 {
        let size = bytes[6..10]
            .iter()
            .fold(0usize, |n, b| (n << 7) | usize::from(b & 0x7f));
        10 + size
    } else {
        0
    };
    let frame = bytes.get(start..start + 4)?;
    (frame[0] == 0xFF && frame[1] & 0xE0 == 0xE0).then_some(frame)
}

/// Uploads a `seconds`-long tone as the WAV file `name`, with no progress callback.
async fn upload_tone(c: &Client, seconds: u32, name: &str) -> JsValue {
    resolve(c.upload_file(
        file(&tone_wav(seconds), name, "audio/wav").into(),
        None,
        None,
    ))
    .await
    .expect("upload")
}

/// Fetches `url` with no header, as chrome.downloads would: its status and body.
async fn download(url: &str) -> (u16, Vec<u8>) {
    let response: web_sys::Response = resolve(fetch_url(url))
        .await
        .expect("download")
        .unchecked_into();
    let body = resolve(response.array_buffer().expect("body"))
        .await
        .expect("bytes");
    (response.status(), Uint8Array::new(&body).to_vec())
}

fn assert_error(error: &JsValue, code: &str) {
    assert_eq!(
        get(error, "name").as_string().as_deref(),
        Some("VideoToAudioError")
    );
    assert_eq!(
        get(error, "code").as_string().as_deref(),
        Some(code),
        "{:?}",
        get(error, "message")
    );
    assert!(get(error, "message")
        .as_string()
        .is_some_and(|m| !m.is_empty()));
}

#[wasm_bindgen_test]
async fn upload_run_and_download_an_mp3() {
    let c = client(server(), serde_json::json!({}));
    let health = resolve(c.health()).await.expect("health");
    assert!(get(&health, "version").as_string().is_some());

    let wav = tone_wav(3);
    let (on_progress, progress) = recorder();
    let media = resolve(c.upload_file(
        file(&wav, "tone.wav", "audio/wav").into(),
        Some(on_progress),
        None,
    ))
    .await
    .expect("upload");
    assert_eq!(get(&media, "container").as_string().as_deref(), Some("wav"));
    let duration = get(&media, "duration").as_f64().expect("duration");
    assert!((duration - 3.0).abs() < 0.1, "duration {duration}");
    // Byte progress: every report is (sent, total) with the file's size, ending at the total.
    let progress = progress.borrow().clone();
    assert!(!progress.is_empty(), "no progress reported");
    let last: Array = progress.last().expect("progress").clone().unchecked_into();
    assert_eq!(last.get(0).as_f64(), Some(wav.len() as f64));
    assert!(progress.iter().all(|p| {
        let p: Array = p.clone().unchecked_into();
        p.get(1).as_f64() == Some(wav.len() as f64)
    }));

    let (on_update, updates) = recorder();
    let outcome = resolve(c.run("convert to mp3".into(), Some(on_update)))
        .await
        .expect("run");
    let kinds: Vec<String> = updates
        .borrow()
        .iter()
        .filter_map(|u| get(u, "kind").as_string())
        .collect();
    assert!(kinds.iter().any(|k| k == "progress"), "{kinds:?}");
    assert!(kinds.iter().any(|k| k == "text"), "{kinds:?}");
    assert!(kinds.iter().any(|k| k == "media"), "{kinds:?}");
    let media: Array = get(&outcome, "media").unchecked_into();
    assert_eq!(media.length(), 1);
    let produced = media.get(0);
    assert_eq!(
        get(&produced, "status").as_string().as_deref(),
        Some("done")
    );
    assert_eq!(get(&produced, "format").as_string().as_deref(), Some("mp3"));
    assert!(get(&outcome, "text")
        .as_string()
        .is_some_and(|t| !t.is_empty()));

    // The signed link works without any header, as chrome.downloads would fetch it.
    let url = c.download_url(produced.clone()).expect("a download URL");
    assert!(url.starts_with(server()), "{url}");
    let (status, bytes) = download(&url).await;
    assert_eq!(status, 200);
    assert_eq!(
        Some(bytes.len() as f64),
        get(&produced, "size").as_f64(),
        "size as reported"
    );
    let frame = first_mp3_frame(&bytes).expect("an MPEG audio frame after the ID3 tag");
    assert_eq!((frame[1] >> 1) & 0b11, 0b01, "Layer III");
    let seconds = get(&produced, "duration").as_f64().expect("duration");
    assert!((seconds - 3.0).abs() < 0.2, "{seconds} s");
    // Three seconds of MP3 at 8 kbps at the very least.
    assert!(bytes.len() > 3_000, "{} bytes", bytes.len());

    // The state now lists both.
    let state = resolve(c.state()).await.expect("state");
    assert_eq!(Array::from(&get(&state, "video_infos")).length(), 1);
    assert_eq!(Array::from(&get(&state, "generated_media")).length(), 1);
}

#[wasm_bindgen_test]
async fn export_in_another_format_and_poll_until_done() {
    let c = client(server(), serde_json::json!({}));
    upload_tone(&c, 2, "export.wav").await;
    resolve(c.run("convert to mp3".into(), None))
        .await
        .expect("run");
    let output = js_sys::JSON::parse(r#"{"format": "wav"}"#).expect("options");
    let started = resolve(c.start_export(output).expect("a promise"))
        .await
        .expect("export");
    let render_id = get(&started, "render_id").as_string().expect("render id");
    let mut status = started;
    for _ in 0..100 {
        if get(&status, "status").as_string().as_deref() == Some("done") {
            break;
        }
        resolve(Promise::new(&mut |ok, _| {
            let global = js_sys::global();
            let set_timeout: Function = get(&global, "setTimeout").dyn_into().expect("setTimeout");
            set_timeout
                .call2(&global, &ok, &JsValue::from(100))
                .expect("timer");
        }))
        .await
        .expect("wait");
        status = resolve(c.export_status(render_id.clone()))
            .await
            .expect("status");
    }
    assert_eq!(get(&status, "status").as_string().as_deref(), Some("done"));
    let media = get(&status, "media");
    assert_eq!(get(&media, "format").as_string().as_deref(), Some("wav"));
    let url = c.download_url(media).expect("a link");
    let (status, bytes) = download(&url).await;
    assert_eq!(status, 200);
    assert!(
        bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WAVE",
        "not a WAV"
    );
}

#[wasm_bindgen_test]
async fn export_result_polls_the_real_server_and_status_reads_its_draft() {
    let c = client(server(), serde_json::json!({"version": "9.9.9"}));
    upload_tone(&c, 2, "tracks.wav").await;
    resolve(c.run("convert to mp3".into(), None))
        .await
        .expect("run");
    // FLAC is a conversion on our server: a running export first, polled to its end.
    let media = resolve(c.export_result(Some("flac".into()), None))
        .await
        .expect("exported");
    assert_eq!(get(&media, "status").as_string().as_deref(), Some("done"));
    assert_eq!(get(&media, "format").as_string().as_deref(), Some("flac"));
    let url = c.download_url(media).expect("a link");
    let (status, bytes) = download(&url).await;
    assert_eq!(status, 200);
    assert!(bytes.starts_with(b"fLaC"), "not a FLAC");
    let status = resolve(c.status_text())
        .await
        .expect("status")
        .as_string()
        .expect("text");
    assert!(
        status.starts_with("Timeline (2 tracks): 1. Video: tracks.wav"),
        "{status}"
    );
}

#[wasm_bindgen_test]
async fn a_url_the_server_will_not_fetch_says_to_download_and_upload() {
    let c = client(server(), serde_json::json!({}));
    let error = resolve(c.upload_url("http://127.0.0.1:1/video.mp4".into(), None))
        .await
        .expect_err("a loopback URL is refused");
    assert_eq!(
        get(&error, "name").as_string().as_deref(),
        Some("VideoToAudioError")
    );
    assert_eq!(get(&error, "code").as_f64(), Some(4003.0));
    let message = get(&error, "message").as_string().expect("message");
    assert!(
        message.ends_with("Download the file and upload it instead."),
        "{message}"
    );
}

#[wasm_bindgen_test]
async fn upload_without_xml_http_request_uses_fetch_as_in_a_service_worker() {
    let global = js_sys::global();
    let xhr = get(&global, "XMLHttpRequest");
    Reflect::delete_property(
        &global.clone().unchecked_into::<Object>(),
        &"XMLHttpRequest".into(),
    )
    .expect("hide XMLHttpRequest");
    let c = client(server(), serde_json::json!({}));
    let wav = tone_wav(1);
    let (on_progress, progress) = recorder();
    let result = resolve(c.upload_file(
        file(&wav, "one.wav", "audio/wav").into(),
        Some(on_progress),
        None,
    ))
    .await;
    Reflect::set(&global, &"XMLHttpRequest".into(), &xhr).expect("restore XMLHttpRequest");
    let media = result.expect("upload through fetch");
    assert_eq!(get(&media, "name").as_string().as_deref(), Some("one.wav"));
    let sent: Vec<f64> = progress
        .borrow()
        .iter()
        .map(|p| Array::from(p).get(0).as_f64().expect("a number"))
        .collect();
    assert_eq!(sent, [0.0, wav.len() as f64]);
}

#[wasm_bindgen_test]
async fn abort_in_the_middle_of_a_run_rejects_with_aborted() {
    let c = Rc::new(client(server(), serde_json::json!({})));
    upload_tone(&c, 3, "abort.wav").await;
    let count = Rc::new(RefCell::new(0));
    let on_update = {
        let c = c.clone();
        let count = count.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_update: JsValue| {
            *count.borrow_mut() += 1;
            c.abort();
        })
    };
    let error = resolve(c.run(
        "convert to mp3".into(),
        Some(on_update.as_ref().unchecked_ref::<Function>().clone()),
    ))
    .await
    .expect_err("aborted");
    assert_error(&error, "aborted");
    assert_eq!(get(&error, "recoverable").as_bool(), Some(true));
    assert_eq!(*count.borrow(), 1, "nothing is reported after the abort");
    // The client is usable again after an abort.
    resolve(c.credits()).await.expect("credits after the abort");
}

#[wasm_bindgen_test]
async fn abort_during_an_upload_rejects_with_aborted() {
    let c = Rc::new(client(server(), serde_json::json!({})));
    resolve(c.ensure_session()).await.expect("session");
    let on_progress = {
        let c = c.clone();
        Closure::<dyn FnMut(JsValue, JsValue)>::new(move |_sent: JsValue, _total: JsValue| {
            c.abort();
        })
    };
    let error = resolve(c.upload_file(
        file(&tone_wav(60), "long.wav", "audio/wav").into(),
        Some(on_progress.as_ref().unchecked_ref::<Function>().clone()),
        None,
    ))
    .await
    .expect_err("aborted");
    assert_error(&error, "aborted");
    // Whether the server kept the bytes depends on how far they got (on loopback, often all
    // of them); the client itself must be usable again.
    resolve(c.state()).await.expect("state after the abort");
}

#[wasm_bindgen_test]
async fn reads_that_time_out_lose_no_bytes_of_the_event_stream() {
    use video_to_audio::client::{self as core, ByteStream, Config, Method, Read, Transport};
    use video_to_audio::wasm::FetchTransport;

    // The generic client over the browser transport, to get a token, a session and an upload.
    let config = Config {
        base_url: server().into(),
        ..Config::new("6f9c2d3e-0000-4000-8000-00000000abcd")
    };
    let c = core::Client::new(config, FetchTransport::new().expect("transport"));
    let wav = tone_wav(3);
    let blob: web_sys::Blob = file(&wav, "quiet.wav", "audio/wav").into();
    c.upload_file(
        &blob,
        "quiet.wav",
        wav.len() as u64,
        "audio/wav",
        Rc::new(|_, _| {}),
    )
    .await
    .expect("upload");
    let body = serde_json::json!({
        "app_name": "nemo_agent", "user_id": "me", "session_id": c.session_id(),
        "new_message": {"role": "user", "parts": [{"text": "convert to mp3"}]}, "streaming": true
    });
    let request = core::HttpRequest {
        method: Method::Post,
        url: format!("{}/run_sse", server()),
        path: "/run_sse".into(),
        headers: vec![
            (
                "authorization".into(),
                format!("Bearer {}", c.token().expect("token")),
            ),
            ("x-client-id".into(), c.config().client_id.clone()),
            ("content-type".into(), "application/json".into()),
        ],
        body: Some(body.to_string()),
    };
    let mut stream = c
        .transport()
        .open_stream(request)
        .await
        .expect("stream")
        .body;
    // 1 ms is far shorter than an extraction: many reads time out while it runs.
    let (mut bytes, mut quiet) = (Vec::new(), 0);
    loop {
        match stream.next_chunk_within(1).await.expect("read") {
            Read::Bytes(chunk) => bytes.extend_from_slice(&chunk),
            Read::Quiet => quiet += 1,
            Read::End => break,
        }
    }
    assert!(quiet > 0, "no read timed out");
    let mut parser = video_to_audio::sse::Parser::new();
    let events = parser.feed(&bytes);
    let last: serde_json::Value =
        serde_json::from_str(&events.last().expect("events").data).expect("json");
    assert_eq!(
        last["turnComplete"], true,
        "the stream is whole, to its last event"
    );
    assert!(events
        .iter()
        .all(|e| serde_json::from_str::<serde_json::Value>(&e.data).is_ok()));
}

#[wasm_bindgen_test]
async fn a_bogus_anonymous_token_is_replaced_by_a_fresh_one() {
    let c = client(
        server(),
        serde_json::json!({ "anonymousToken": "bogus-token" }),
    );
    let credits = resolve(c.credits())
        .await
        .expect("credits with a new token");
    assert!(get(&credits, "available").as_f64().is_some());
    let token = c.token().expect("a token");
    assert_ne!(token, "bogus-token");
    // A lost session is replaced the same way.
    let c = client(
        server(),
        serde_json::json!({ "anonymousToken": token, "sessionId": "no-such-session" }),
    );
    resolve(c.state()).await.expect("state in a new session");
    assert_ne!(c.session_id().as_deref(), Some("no-such-session"));
}

#[wasm_bindgen_test]
async fn a_bogus_token_from_the_options_is_refused_in_words_not_replaced() {
    let c = client(server(), serde_json::json!({ "token": "bogus-token" }));
    let error = resolve(c.credits())
        .await
        .expect_err("the server refuses it");
    assert_eq!(get(&error, "code").as_f64(), Some(1001.0));
    assert_eq!(get(&error, "recoverable").as_bool(), Some(false));
    let message = get(&error, "message").as_string().expect("message");
    assert!(
        message.starts_with("The server refused the token set in the extension's options"),
        "{message}"
    );
    assert_eq!(
        c.token().as_deref(),
        Some("bogus-token"),
        "kept, not swapped"
    );
}

#[wasm_bindgen_test]
async fn rate_limits_are_waited_out_once_then_reported() {
    let c = client(limited_server(), serde_json::json!({}));
    resolve(c.ensure_session()).await.expect("session");
    let started = js_sys::Date::now();
    // Each call's outcome with the time it settled, all fired at once.
    let settle = Function::new_with_args("v", "return [v, Date.now()]");
    let calls = Array::new();
    for _ in 0..8 {
        let call = c.credits();
        let then: Function = get(&call, "then").unchecked_into();
        calls.push(&then.call2(&call, &settle, &settle).expect("then"));
    }
    let settled: Array = resolve(Promise::all(&calls))
        .await
        .expect("all settle")
        .into();
    let (mut ok_after_wait, mut ok_at_once, mut limited) = (0, 0, 0);
    for outcome in settled.iter() {
        let outcome: Array = outcome.into();
        let (value, at) = (outcome.get(0), outcome.get(1).as_f64().expect("a time"));
        if get(&value, "available").as_f64().is_some() {
            // Retry-After is 1 s at 60 per minute: a success that late waited it out.
            if at - started >= 900.0 {
                ok_after_wait += 1;
            } else {
                ok_at_once += 1;
            }
            continue;
        }
        assert_eq!(get(&value, "code").as_f64(), Some(429.0), "{value:?}");
        assert_eq!(get(&value, "recoverable").as_bool(), Some(true));
        let message = get(&value, "message").as_string().expect("message");
        assert!(message.contains("Wait a minute"), "{message}");
        assert!(
            at - started >= 900.0,
            "a 429 is reported only after the one retry"
        );
        limited += 1;
    }
    assert!(ok_at_once >= 1, "the burst let none through");
    assert!(
        ok_after_wait >= 1,
        "no request succeeded after waiting Retry-After"
    );
    assert!(
        limited >= 1,
        "8 requests against a burst of 3 were never refused twice"
    );
}

#[wasm_bindgen_test]
async fn a_server_that_is_down_is_a_network_error_naming_the_address() {
    let c = client("http://127.0.0.1:9", serde_json::json!({}));
    let error = resolve(c.health())
        .await
        .expect_err("nothing listens on port 9");
    assert_error(&error, "network");
    let message = get(&error, "message").as_string().expect("message");
    assert!(message.contains("http://127.0.0.1:9"), "{message}");
    assert!(message.contains("./build.sh run"), "{message}");
}

#[wasm_bindgen_test]
async fn an_image_is_refused_before_any_upload() {
    let c = client(server(), serde_json::json!({}));
    let error = resolve(c.upload_file(
        file(b"\x89PNG\r\n", "photo.png", "image/png").into(),
        None,
        None,
    ))
    .await
    .expect_err("an image");
    assert_error(&error, "unsupported_type");
    let message = get(&error, "message").as_string().expect("message");
    assert!(message.contains("no sound"), "{message}");
    assert_eq!(c.session_id(), None, "nothing was sent");
}
