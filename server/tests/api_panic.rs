//! A job that panics (the debug build's `V2A_TEST_PANIC_IN_JOB` hook panics in the job's
//! progress callback while ffmpeg runs) fails with a sentence and returns its credit; its
//! ffmpeg is killed with it; the server goes on serving and runs the next job.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;
use v2a_protocol::paths;

use common::media::{fixture, Fixture};
use common::server::{generated, Api, Binary};

/// Live (not zombie) ffmpeg processes working on files under `dir`.
fn ffmpeg_under(dir: &Path) -> Vec<u32> {
    let dir = dir.to_string_lossy().into_owned();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let cmdline = String::from_utf8_lossy(&cmdline);
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let zombie = stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'));
            cmdline.contains("ffmpeg") && cmdline.contains(&dir) && !zombie
        })
        .collect()
}

#[tokio::test]
async fn a_panicking_job_fails_alone_and_takes_its_ffmpeg_with_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = Binary::start_with_env(
        dir.path(),
        &["--credits", "5"],
        &[("V2A_TEST_PANIC_IN_JOB", "boom")],
    );
    let api = Api::connect(&server.base).await;
    let (status, body) = api.upload(&fixture(Fixture::LongWav), "long.wav").await;
    assert_eq!(status, 200, "{body}");

    // ffmpeg is running when the job panics: it must not outlive it.
    let (status, events, _) = api
        .run("normalize to podcast loudness as mp3, name it boom")
        .await;
    assert_eq!(status, 200);
    assert!(generated(&events).is_none(), "{events:?}");
    let state = api.state_of(&api.session).await;
    let failed = &state["generated_media"][0];
    assert_eq!(failed["status"], "failed", "{failed}");
    assert!(
        failed["error"]
            .as_str()
            .is_some_and(|e| e.ends_with("Try again.")),
        "a sentence with the next step: {failed}"
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while !ffmpeg_under(dir.path()).is_empty() {
        assert!(
            Instant::now() < deadline,
            "ffmpeg outlived its job: {:?}",
            ffmpeg_under(dir.path())
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, credits) = api.get(paths::CREDITS).await;
    assert_eq!(
        credits["data"],
        json!({"available": 5.0, "frozen": 0.0, "total": 5.0}),
        "the credit came back"
    );

    // Still serving, and the next job runs.
    let (status, _) = api.get(paths::HEALTHZ).await;
    assert_eq!(status, 200);
    let (_, events, _) = api.run("extract the first 5 seconds as mp3").await;
    let media = generated(&events).expect("the next job is done");
    assert_eq!(media["status"], "done", "{media}");
}
