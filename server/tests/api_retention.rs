//! The retention sweep over a real loopback socket: old files are removed and every place that
//! pointed at them says so; an upload a job still needs is kept until the job ends.

mod common;

use futures_util::StreamExt;
use serde_json::{json, Value};
use v2a_protocol::paths;
use v2a_protocol::text::{say, Key};
use v2a_protocol::Lang;
use video_to_audio_server::sweep::sweep;

use common::media::{fixture, Fixture};
use common::server::{final_text, generated, in_process, Api};

#[tokio::test]
async fn the_retention_sweep_removes_old_files_and_says_so() {
    let server = in_process(&["--retention-hours", "2"]).await;
    let api = Api::connect(&server.base).await;
    api.upload(&fixture(Fixture::WavAudio), "old.wav").await;
    let (_, events, _) = api.run("extract as mp3").await;
    let media = generated(&events).expect("result");
    let url = media["download_url"].as_str().expect("url").to_owned();
    // An hour later nothing is removed; three hours later everything is.
    let now = video_to_audio_server::db::now();
    let swept = sweep(&server.state, now + 3600).await.expect("sweep");
    assert_eq!((swept.uploads, swept.outputs), (0, 0));
    let swept = sweep(&server.state, now + 3 * 3600).await.expect("sweep");
    assert_eq!((swept.uploads, swept.outputs), (1, 1));
    let state = api.state_of(&api.session).await;
    assert_eq!(state["generated_media"][0]["status"], "expired");
    assert!(state["generated_media"][0]["download_url"].is_null());
    assert_eq!(
        std::fs::read_dir(server.dir.path().join("outputs"))
            .expect("dir")
            .count(),
        0
    );
    assert_eq!(
        std::fs::read_dir(server.dir.path().join("media"))
            .expect("dir")
            .count(),
        0
    );
    let (status, _, body) = api.fetch_plain(&url).await;
    assert_eq!(status, 404);
    let body: Value = serde_json::from_slice(&body).expect("envelope");
    assert_eq!(
        body["message"],
        "This file was removed after 2 hours; run the extraction again."
    );
    let (_, events, _) = api.run("extract as wav").await;
    assert!(final_text(&events).contains("old.wav was removed after 2 hours"));
}

/// A long job holding the one slot and a short one queued behind it, each on its own upload.
async fn two_jobs_in_line(
    api: &Api,
) -> (
    impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>>,
    reqwest::Response,
) {
    let (status, body) = api.upload(&fixture(Fixture::WavAudio), "short.wav").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = api.upload(&fixture(Fixture::LongWav), "long.wav").await;
    assert_eq!(status, 200, "{body}");
    let long = api
        .send_run(&api.session, "extract the second file as mp3")
        .await;
    let mut long = long.bytes_stream();
    let mut seen = String::new();
    while !seen.contains("\"stage\":\"extracting\"") {
        let chunk = long.next().await.expect("more events").expect("bytes");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let short = api
        .send_run(&api.session, "extract the first file as flac")
        .await;
    assert_eq!(short.status(), 200);
    let state = api.state_of(&api.session).await;
    assert_eq!(
        output_named(&state, "short.flac")["status"],
        "queued",
        "the short job must wait behind the long one: {state}"
    );
    (long, short)
}

#[tokio::test]
async fn uploads_that_jobs_still_need_outlive_the_sweep_until_the_jobs_end() {
    // One slot: the long job holds it while the short one waits in the queue.
    let server = in_process(&["--retention-hours", "2", "--jobs", "1", "--credits", "5"]).await;
    let api = Api::connect(&server.base).await;
    let (mut long, short) = two_jobs_in_line(&api).await;
    let later = video_to_audio_server::db::now() + 3 * 3600;

    let swept = sweep(&server.state, later).await.expect("sweep");
    assert_eq!(swept.uploads, 0, "both uploads are in use");

    let text =
        String::from_utf8_lossy(&short.bytes().await.expect("the short job's stream")).into_owned();
    assert!(text.contains("Done: short.flac"), "{text}");
    while long.next().await.is_some() {}
    let state = api.state_of(&api.session).await;
    assert_eq!(output_named(&state, "short.flac")["status"], "done");
    assert_eq!(output_named(&state, "long.mp3")["status"], "done");
    let (_, credits) = api.get(paths::CREDITS).await;
    assert_eq!(
        credits["data"],
        json!({"available": 3.0, "frozen": 0.0, "total": 3.0})
    );
    // With the jobs over, the next sweep takes the uploads and the results.
    let swept = sweep(&server.state, later).await.expect("sweep");
    assert_eq!((swept.uploads, swept.outputs), (2, 2));
}

#[tokio::test]
async fn a_queued_job_whose_upload_went_meanwhile_fails_with_that_reason_and_returns_its_credit() {
    let server = in_process(&["--retention-hours", "2", "--jobs", "1", "--credits", "5"]).await;
    let api = Api::connect(&server.base).await;
    let (mut long, short) = two_jobs_in_line(&api).await;
    // The sweep's narrow race: the upload was marked gone after the job was queued on it.
    let state = api.state_of(&api.session).await;
    let short_upload = state["video_infos"][0]["media_id"]
        .as_str()
        .expect("id")
        .to_owned();
    server
        .state
        .db
        .call(move |c| video_to_audio_server::db::mark_media_expired(c, &short_upload))
        .await
        .expect("mark");

    let text =
        String::from_utf8_lossy(&short.bytes().await.expect("the short job's stream")).into_owned();
    let swept = say(Lang::En, Key::UploadSwept, &[]);
    assert!(text.contains(&swept), "{text}");
    while long.next().await.is_some() {}
    let state = api.state_of(&api.session).await;
    let failed = output_named(&state, "short.flac");
    assert_eq!(failed["status"], "failed", "{failed}");
    assert_eq!(failed["error"], swept);
    assert_eq!(output_named(&state, "long.mp3")["status"], "done");
    let (_, credits) = api.get(paths::CREDITS).await;
    assert_eq!(
        credits["data"],
        json!({"available": 4.0, "frozen": 0.0, "total": 4.0}),
        "only the long job was paid for"
    );
}

fn output_named<'a>(state: &'a Value, name: &str) -> &'a Value {
    state["generated_media"]
        .as_array()
        .and_then(|all| all.iter().find(|m| m["name"] == name))
        .unwrap_or_else(|| panic!("no output named {name}: {state}"))
}

#[tokio::test]
async fn an_export_past_its_retention_says_so_instead_of_handing_a_dead_link() {
    // Zero hours: every result is past its retention the moment it is made, before any sweep.
    let server = in_process(&["--retention-hours", "0"]).await;
    let api = Api::connect(&server.base).await;
    api.upload(&fixture(Fixture::WavAudio), "talk.wav").await;
    let (_, events, _) = api.run("extract as mp3").await;
    generated(&events).expect("result");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (_, events, _) = api.run("export").await;
    assert_eq!(
        final_text(&events),
        "Your latest result, talk.mp3, is past its 0-hour retention and is being removed; run the extraction again."
    );
}
