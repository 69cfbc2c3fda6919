//! An ffmpeg that hangs, prints garbage or outlives the server: each ends in a sentence, a
//! returned credit and no process left behind.

mod common;

use std::time::{Duration, Instant};

use common::fake;
use common::server::{in_process, tone_wav, Api};
use serde_json::{json, Value};
use v2a_protocol::paths;
use v2a_protocol::text::{say, Key};
use v2a_protocol::Lang;

/// Upload a tone, ask for an MP3, and wait (at most `within`) for the output to settle.
async fn extract_with(api: &Api, dir: &std::path::Path, within: Duration) -> Value {
    let wav = tone_wav(dir, 440, 3.0);
    let (status, body) = api.upload(&wav, "tone.wav").await;
    assert_eq!(status, 200, "{body}");
    let response = api.send_run(&api.session, "extract as mp3").await;
    assert_eq!(response.status().as_u16(), 200);
    tokio::time::timeout(within, api.wait_output(&api.session, 0))
        .await
        .unwrap_or_else(|_| panic!("the job was still running after {within:?}"))
}

async fn assert_credit_returned(api: &Api) {
    let (_, credits) = api.get(paths::CREDITS).await;
    assert_eq!(
        credits["data"],
        json!({"available": 100.0, "frozen": 0.0, "total": 100.0})
    );
}

#[tokio::test]
async fn a_hung_ffmpeg_with_stderr_open_is_stopped_at_the_stall_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ffmpeg = fake::ffmpeg(
        dir.path(),
        "echo out_time_us=0; echo progress=continue; echo 'hanging now' >&2; exec sleep 600",
    );
    let server = in_process(&[
        "--ffmpeg",
        ffmpeg.to_str().expect("utf-8 path"),
        "--stall-secs",
        "1",
        "--stall-max-secs",
        "2",
    ])
    .await;
    let api = Api::connect(&server.base).await;
    let started = Instant::now();
    let output = extract_with(&api, dir.path(), Duration::from_secs(20)).await;
    assert_eq!(output["status"], "failed", "{output}");
    assert_eq!(
        output["error"],
        say(Lang::En, Key::FfmpegStalled, &[("seconds", "1")])
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    let pid = fake::wait_pid(dir.path(), Duration::from_secs(1));
    assert!(!fake::alive(pid), "the hung ffmpeg {pid} is still running");
    assert_credit_returned(&api).await;
}

#[tokio::test]
async fn an_ffmpeg_outlives_no_server_even_one_killed_outright() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ffmpeg = fake::ffmpeg(dir.path(), "echo out_time_us=0; exec sleep 600");
    let data = dir.path().join("data");
    let mut server =
        common::server::Binary::start(&data, &["--ffmpeg", ffmpeg.to_str().expect("utf-8 path")]);
    let api = Api::connect(&server.base).await;
    let wav = tone_wav(dir.path(), 440, 3.0);
    let (status, body) = api.upload(&wav, "tone.wav").await;
    assert_eq!(status, 200, "{body}");
    let _running = api.send_run(&api.session, "extract as mp3").await;
    let pid = fake::wait_pid(dir.path(), Duration::from_secs(20));
    assert!(fake::alive(pid));
    server.kill();
    let deadline = Instant::now() + Duration::from_secs(2);
    while fake::alive(pid) {
        assert!(
            Instant::now() < deadline,
            "ffmpeg {pid} still runs 2 s after the server was killed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn garbage_on_ffmpeg_stderr_never_reaches_the_sentence() {
    let dir = tempfile::tempdir().expect("temp dir");
    // An escape sequence, C0 controls, invalid UTF-8, a right-to-left override, a bell.
    let ffmpeg = fake::ffmpeg(
        dir.path(),
        r"printf 'Conversion \033[31mfailed\033[0m:\001\002 \377\376 bad\342\200\256 tail\007\n' >&2",
    );
    let server = in_process(&["--ffmpeg", ffmpeg.to_str().expect("utf-8 path")]).await;
    let api = Api::connect(&server.base).await;
    let output = extract_with(&api, dir.path(), Duration::from_secs(20)).await;
    assert_eq!(output["status"], "failed", "{output}");
    let error = output["error"].as_str().expect("a sentence");
    assert!(error.contains("Conversion failed"), "{error:?}");
    assert!(error.contains("tail"), "{error:?}");
    let bad: Vec<char> = error
        .chars()
        .filter(|&c| c.is_control() || c == '\u{fffd}' || ('\u{202a}'..='\u{202e}').contains(&c))
        .collect();
    assert!(bad.is_empty(), "{error:?} holds {bad:?}");
    assert!(!error.contains("[31m"), "{error:?}");
    assert_credit_returned(&api).await;
}
