//! Extraction jobs over a real loopback socket: they outlive their client, share the slots
//! fairly, keep a waiting stream alive, and a failure says why and returns the credit.

mod common;

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::json;
use v2a_protocol::paths;

use common::media::{assert_tone, audio_facts, fixture, Fixture};
use common::server::{final_text, generated, in_process, tone_wav, Api};

fn save(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the download");
    path
}

#[tokio::test]
async fn the_job_finishes_when_the_client_goes_away() {
    let server = in_process(&[]).await;
    let api = Api::connect(&server.base).await;
    let response = api.start_long_run().await;
    let mut stream = response.bytes_stream();
    // Read the start of the stream, then hang up while the job runs.
    let first = stream.next().await.expect("a first chunk").expect("bytes");
    assert!(String::from_utf8_lossy(&first).contains("data:"));
    drop(stream);
    let state = api.state_of(&api.session).await;
    assert!(
        matches!(
            state["generated_media"][0]["status"].as_str(),
            Some("queued" | "running")
        ),
        "{state}"
    );
    let out = api.wait_output(&api.session, 0).await;
    assert_eq!(out["status"], "done", "{out}");
    let (status, _, bytes) = api
        .fetch_plain(out["download_url"].as_str().expect("url"))
        .await;
    assert_eq!(status, 200);
    let file = save(server.dir.path(), "long.mp3", &bytes);
    let facts = audio_facts(&file);
    assert_eq!(facts.codec, "mp3");
    assert!((facts.duration - audio_facts(&fixture(Fixture::LongWav)).duration).abs() < 0.1);
}

#[tokio::test]
async fn ten_jobs_at_once_on_two_slots_all_come_out_right() {
    let server = in_process(&["--jobs", "2"]).await;
    let api = Api::connect(&server.base).await;
    let mut prepared = Vec::new();
    for i in 0..10u32 {
        let frequency = 300 + 80 * i;
        let wav = tone_wav(server.dir.path(), frequency, 2.0);
        let session = api.new_session().await;
        let (status, body) = api
            .upload_to(&session, &wav, &format!("tone{frequency}.wav"))
            .await;
        assert_eq!(status, 200, "{body}");
        prepared.push((frequency, session));
    }
    // Watch the database while the ten run: never more than two extractions at once.
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (db, done) = (server.state.db.clone(), done.clone());
        tokio::spawn(async move {
            let (mut most_running, mut most_queued) = (0i64, 0i64);
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                let (running, queued): (i64, i64) = db
                    .call(|c| {
                        c.query_row(
                            "SELECT SUM(status = 'running'), SUM(status = 'queued') FROM outputs",
                            [],
                            |r| {
                                Ok((
                                    r.get::<_, Option<i64>>(0)?.unwrap_or(0),
                                    r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                                ))
                            },
                        )
                    })
                    .await
                    .expect("count jobs");
                most_running = most_running.max(running);
                most_queued = most_queued.max(queued);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            (most_running, most_queued)
        })
    };
    let mut runs = Vec::new();
    for (frequency, session) in prepared {
        let api = api.clone();
        runs.push(tokio::spawn(async move {
            (
                frequency,
                session.clone(),
                api.run_in(&session, "extract as mp3").await,
            )
        }));
    }
    for run in runs {
        let (frequency, _session, (status, events, _)) = run.await.expect("task");
        assert_eq!(status, 200);
        let media =
            generated(&events).unwrap_or_else(|| panic!("no result for {frequency}: {events:?}"));
        assert_eq!(media["name"], format!("tone{frequency}.mp3"));
        let (status, _, bytes) = api
            .fetch_plain(media["download_url"].as_str().expect("url"))
            .await;
        assert_eq!(status, 200);
        let file = save(server.dir.path(), &format!("out{frequency}.mp3"), &bytes);
        assert!((audio_facts(&file).duration - 2.0).abs() < 0.1);
        assert_tone(&file, f64::from(frequency));
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let (most_running, most_queued) = watcher.await.expect("watcher");
    assert!(
        (1..=2).contains(&most_running),
        "{most_running} extractions ran at once"
    );
    assert!(most_queued >= 1, "with 10 jobs on 2 slots some must wait");
    let (_, credits) = api.get(paths::CREDITS).await;
    assert_eq!(credits["data"]["available"], 90.0);
    assert_eq!(credits["data"]["frozen"], 0.0);
}

#[tokio::test]
async fn a_queued_job_keeps_the_stream_alive_with_comments() {
    // One slot, with three long jobs ahead (one alone can finish within a second on a quiet
    // machine, before any keep-alive is due); keep-alives every second instead of ten.
    let server = in_process(&["--jobs", "1", "--sse-keepalive-secs", "1"]).await;
    let api = Api::connect(&server.base).await;
    api.upload(&fixture(Fixture::LongWav), "long.wav").await;
    let mut busy = Vec::new();
    for _ in 0..3 {
        let response = api
            .send_run(&api.session, "normalize to podcast loudness as flac")
            .await;
        assert_eq!(response.status(), 200);
        busy.push(response);
    }
    let waiting = api.send_run(&api.session, "extract as mp3").await;
    assert_eq!(waiting.status(), 200);
    let mut stream = waiting.bytes_stream();
    let mut raw = String::new();
    while !raw.contains(": keep-alive") {
        let chunk = tokio::time::timeout(Duration::from_secs(5), stream.next())
            .await
            .expect("a keep-alive within 5 s")
            .expect("more stream")
            .expect("bytes");
        raw.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(raw.contains("\"stage\":\"queued\""), "{raw}");
    drop(busy);
}

#[tokio::test]
async fn a_failed_extraction_says_why_and_returns_the_credit() {
    let server = in_process(&[]).await;
    let api = Api::connect(&server.base).await;
    let (_, body) = api.upload(&fixture(Fixture::WavAudio), "broken.wav").await;
    // The stored upload is damaged after it was accepted (a disk fault, say).
    let id = body["data"]["media_id"].as_str().expect("id");
    let stored = server.dir.path().join("media").join(format!("{id}.wav"));
    std::fs::write(&stored, vec![0x5au8; 4096]).expect("damage the stored file");
    let (status, events, _) = api.run("extract as mp3").await;
    assert_eq!(status, 200);
    let last = events.last().expect("events");
    assert_eq!(last.turn_complete, Some(true));
    assert_eq!(last.error_code.as_deref(), Some("EXTRACTION_FAILED"));
    let reason = last.error_message.clone().expect("a reason");
    assert!(
        !reason.is_empty() && reason.lines().count() == 1 && reason.len() < 300,
        "{reason}"
    );
    assert!(final_text(&events).starts_with("The extraction failed: "));
    assert!(generated(&events).is_none());
    let state = api.state_of(&api.session).await;
    assert_eq!(state["generated_media"][0]["status"], "failed");
    assert_eq!(state["generated_media"][0]["error"], reason.as_str());
    let (_, credits) = api.get(paths::CREDITS).await;
    assert_eq!(
        credits["data"],
        json!({"available": 100.0, "frozen": 0.0, "total": 100.0})
    );
    assert_eq!(
        std::fs::read_dir(server.dir.path().join("outputs"))
            .expect("dir")
            .count(),
        0,
        "no partial output"
    );
}

#[tokio::test]
async fn a_file_whose_sound_stops_early_is_extracted_with_a_warning() {
    let server = in_process(&[]).await;
    let api = Api::connect(&server.base).await;
    // An M4A with its index first and only half of its data after it, as a file cut short
    // while being saved or uploaded: it says it lasts 3 s, its sound stops halfway.
    let dir = tempfile::tempdir().expect("temp dir");
    let whole = dir.path().join("whole.m4a");
    let made = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-i"])
        .arg(fixture(Fixture::M4aAudio))
        .args(["-c", "copy", "-movflags", "+faststart"])
        .arg(&whole)
        .status()
        .expect("ffmpeg");
    assert!(made.success());
    let bytes = std::fs::read(&whole).expect("read");
    let cut = dir.path().join("cut.m4a");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    let (status, body) = api.upload(&cut, "interview.m4a").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["duration"].as_f64().map(f64::round), Some(3.0));

    let (_, events, _) = api.run("extract as mp3").await;
    let media = generated(&events).expect("a result: the sound that is there");
    let got = media["duration"].as_f64().expect("duration");
    assert!((1.0..2.2).contains(&got), "about half: {got}");
    let text = final_text(&events);
    assert!(
        text.starts_with("Done: interview.mp3")
            && text.contains("Note: the sound in it stops at 0:0")
            && text.contains(", not at 0:03 as expected.")
            && text.ends_with("upload the complete file and ask again."),
        "{text}"
    );

    // A whole file gets no such note.
    api.upload(&whole, "whole.m4a").await;
    let (_, events, _) = api.run("extract as mp3").await;
    assert!(
        !final_text(&events).contains("Note:"),
        "{}",
        final_text(&events)
    );
}
