//! Running a request: the `/run_sse` stream turned into updates and an outcome, against the
//! scripted fake server (the ADK events are the ones this project's server sends).

mod client_support;

use client_support::{block_on, client, event, generated, Reply, Step};
use serde_json::{json, Value};
use video_to_audio::client::{ClientError, ErrorCode, RunReader, ToolPhase, Update};
use video_to_audio::protocol::{text, Lang};

fn text_event(text: &str, partial: bool) -> Value {
    json!({"author": "nemo_agent", "content": {"role": "model", "parts": [{"text": text}]},
           "partial": partial})
}

fn progress_event(progress: f64, stage: &str) -> Value {
    json!({"partial": true, "customMetadata": {"progress": progress, "stage": stage, "mediaId": "g-1"}})
}

fn call_event() -> Value {
    json!({"content": {"role": "model", "parts": [{"functionCall": {"id": "g-1", "name": "extract_audio", "args": {}}}]}})
}

fn response_event(status: &str) -> Value {
    json!({"content": {"role": "user", "parts": [{"functionResponse": {"id": "g-1", "name": "extract_audio",
           "response": {"generated_media": generated("g-1", status)}}}]}})
}

/// The events this project's server sends for a successful extraction.
fn extraction() -> Vec<Step> {
    vec![
        event(text_event(
            "Extracting the audio of clip.wav as MP3…",
            false,
        )),
        event(call_event()),
        Step::Bytes(b": keep-alive\n\n".to_vec()),
        event(progress_event(0.0, "queued")),
        event(progress_event(0.5, "extracting")),
        event(progress_event(1.0, "done")),
        event(response_event("done")),
        event(
            json!({"content": {"role": "model", "parts": [{"text": "Done: clip.mp3 — MP3, 0:03."}]},
                     "turnComplete": true}),
        ),
    ]
}

fn run(
    c: &video_to_audio::client::Client<client_support::Fake>,
) -> (
    Result<video_to_audio::client::Outcome, ClientError>,
    Vec<Update>,
) {
    let mut updates = Vec::new();
    let outcome = block_on(c.run("convert to mp3", &mut |u| updates.push(u)));
    (outcome, updates)
}

#[test]
fn an_extraction_reports_text_progress_tools_and_the_file() {
    let c = client();
    c.transport().run_steps.replace(extraction());
    let (outcome, updates) = run(&c);
    let outcome = outcome.expect("outcome");
    assert_eq!(outcome.media.len(), 1);
    assert_eq!(outcome.media[0].id, "g-1");
    assert!(!outcome.from_state);
    assert_eq!(
        outcome.text,
        "Extracting the audio of clip.wav as MP3…\n\nDone: clip.mp3 — MP3, 0:03."
    );
    let progress: Vec<f64> = updates
        .iter()
        .filter_map(|u| match u {
            Update::Progress { progress, .. } => Some(*progress),
            _ => None,
        })
        .collect();
    assert_eq!(progress, [0.0, 0.5, 1.0]);
    assert!(updates.contains(&Update::Tool {
        name: "extract_audio".into(),
        phase: ToolPhase::Call
    }));
    assert!(updates
        .iter()
        .any(|u| matches!(u, Update::Media { media } if media.id == "g-1")));
    assert_eq!(
        c.download_url(&outcome.media[0]).as_deref(),
        Some("http://127.0.0.1:8787/api/files/g-1?exp=1&sig=ab")
    );
    // The request itself: ADK's body, streamed.
    let log = c.transport().log.borrow();
    let run = log.iter().find(|r| r.path == "/run_sse").expect("a run");
    assert_eq!(run.header("accept"), Some("text/event-stream"));
    let body: Value = serde_json::from_str(run.body.as_deref().expect("body")).expect("json");
    assert_eq!(body["app_name"], "nemo_agent");
    assert_eq!(body["new_message"]["parts"][0]["text"], "convert to mp3");
    assert_eq!(
        body["session_id"],
        c.session_id().expect("session").as_str()
    );
}

#[test]
fn the_same_stream_in_one_byte_chunks_gives_the_same_updates() {
    let c = client();
    c.transport().run_steps.replace(extraction());
    let (whole, whole_updates) = run(&c);
    let bytes: Vec<u8> = extraction()
        .into_iter()
        .flat_map(|s| match s {
            Step::Bytes(b) => b,
            _ => vec![],
        })
        .collect();
    let c = client();
    c.transport()
        .run_steps
        .replace(bytes.into_iter().map(|b| Step::Bytes(vec![b])).collect());
    let (split, split_updates) = run(&c);
    assert_eq!(whole.expect("whole"), split.expect("split"));
    assert_eq!(whole_updates, split_updates);
}

#[test]
fn partial_text_is_assembled_and_the_final_event_is_not_doubled() {
    let mut reader = RunReader::new(0.0);
    let mut texts = Vec::new();
    for (fragment, partial) in [
        ("Extract", true),
        ("ing the ", true),
        ("audio…", true),
        ("Extracting the audio…", false),
    ] {
        for u in reader
            .event(&text_event(fragment, partial).to_string(), 0.0)
            .expect("event")
        {
            if let Update::Text { text, partial } = u {
                texts.push((text, partial));
            }
        }
    }
    assert_eq!(
        texts,
        [
            ("Extract".to_string(), true),
            ("Extracting the ".to_string(), true),
            ("Extracting the audio…".to_string(), true),
            ("Extracting the audio…".to_string(), false),
        ]
    );
    assert_eq!(reader.text(), "Extracting the audio…");
}

#[test]
fn only_heartbeats_for_two_minutes_is_reported_as_still_working() {
    let c = client();
    let mut steps = vec![event(text_event("Extracting…", false)), event(call_event())];
    for _ in 0..15 {
        steps.push(Step::Wait(10_000.0));
        steps.push(Step::Bytes(b": keep-alive\n\n".to_vec()));
    }
    steps.push(event(response_event("done")));
    c.transport().run_steps.replace(steps);
    let (outcome, updates) = run(&c);
    outcome.expect("outcome");
    let still: Vec<u64> = updates
        .iter()
        .filter_map(|u| match u {
            Update::StillWorking { seconds } => Some(*seconds),
            _ => None,
        })
        .collect();
    // 150 s of heartbeats: one notice at 120 s, none before.
    assert_eq!(still, [120]);
}

#[test]
fn total_silence_is_reported_as_still_working_every_two_minutes() {
    let c = client();
    c.transport().run_steps.replace(vec![
        event(text_event("Extracting…", false)),
        event(call_event()),
        Step::Wait(300_000.0),
        event(response_event("done")),
    ]);
    let (outcome, updates) = run(&c);
    assert_eq!(outcome.expect("outcome").media.len(), 1);
    let still: Vec<u64> = updates
        .iter()
        .filter_map(|u| match u {
            Update::StillWorking { seconds } => Some(*seconds),
            _ => None,
        })
        .collect();
    assert_eq!(still, [120, 240]);
}

#[test]
fn progress_events_are_not_silence() {
    let mut reader = RunReader::new(0.0);
    for i in 1..=30 {
        let now = i as f64 * 10_000.0;
        assert!(reader
            .event(
                &progress_event(i as f64 / 30.0, "extracting").to_string(),
                now
            )
            .is_ok());
        assert_eq!(reader.tick(now), None, "at {now} ms");
    }
}

#[test]
fn a_stream_cut_in_the_middle_is_a_stream_error() {
    let c = client();
    let mut steps = extraction();
    steps.truncate(4);
    steps.push(Step::Cut("connection reset".into()));
    c.transport().run_steps.replace(steps);
    let (outcome, updates) = run(&c);
    let error = outcome.expect_err("cut");
    assert_eq!(error.code(), ErrorCode::Text("stream"));
    assert!(error.recoverable());
    assert!(
        error
            .to_string()
            .starts_with("The connection to the server was cut"),
        "{error}"
    );
    assert!(
        updates.iter().any(|u| matches!(u, Update::Progress { .. })),
        "updates came before the cut"
    );
}

#[test]
fn a_half_event_at_the_cut_is_dropped_not_parsed() {
    let c = client();
    let mut steps = extraction();
    steps.truncate(2);
    steps.push(Step::Bytes(
        br#"data: {"content": {"parts": [{"te"#.to_vec(),
    ));
    steps.push(Step::Cut("reset".into()));
    c.transport().run_steps.replace(steps);
    let error = run(&c).0.expect_err("cut");
    assert_eq!(error.code(), ErrorCode::Text("stream"));
}

#[test]
fn abort_mid_stream_stops_the_run_with_aborted() {
    let c = client();
    c.transport().run_steps.replace(extraction());
    let mut seen = 0;
    let outcome = block_on(c.run("convert to mp3", &mut |u| {
        if matches!(u, Update::Progress { .. }) {
            seen += 1;
            c.abort();
        }
    }));
    assert!(matches!(
        outcome.expect_err("aborted"),
        ClientError::Aborted { .. }
    ));
    assert_eq!(seen, 1, "nothing is read after the abort");
}

#[test]
fn abort_stops_reporting_even_within_one_chunk_of_many_events() {
    let c = client();
    let bytes: Vec<u8> = extraction()
        .into_iter()
        .flat_map(|s| match s {
            Step::Bytes(b) => b,
            _ => vec![],
        })
        .collect();
    c.transport().run_steps.replace(vec![Step::Bytes(bytes)]);
    let mut seen = 0;
    let outcome = block_on(c.run("convert to mp3", &mut |_| {
        seen += 1;
        c.abort();
    }));
    assert!(matches!(
        outcome.expect_err("aborted"),
        ClientError::Aborted { .. }
    ));
    assert_eq!(seen, 1);
}

#[test]
fn an_error_event_fails_the_run_with_the_servers_sentence() {
    let c = client();
    c.transport().run_steps.replace(vec![
        event(text_event("Extracting…", false)),
        event(call_event()),
        event(json!({"errorCode": "EXTRACTION_FAILED", "errorMessage": "ffmpeg could not decode the audio.",
                     "content": {"parts": [{"text": "The extraction failed: ffmpeg could not decode the audio."}]},
                     "turnComplete": true})),
    ]);
    let (outcome, updates) = run(&c);
    let error = outcome.expect_err("failed");
    assert_eq!(error.code(), ErrorCode::Text("run_failed"));
    assert_eq!(
        error.to_string(),
        "ffmpeg could not decode the audio. Try again, or ask differently."
    );
    assert!(updates
        .iter()
        .any(|u| matches!(u, Update::Error { code, .. } if code == "EXTRACTION_FAILED")));
}

#[test]
fn an_event_over_the_size_cap_is_a_stream_error_in_plain_words() {
    let c = client();
    let huge = "x".repeat(17 * 1024 * 1024);
    c.transport()
        .run_steps
        .replace(vec![event(text_event(&huge, false))]);
    let (outcome, _) = run(&c);
    let error = outcome.expect_err("too large");
    assert_eq!(error.code(), ErrorCode::Text("stream"));
    assert!(
        error.to_string().contains("one message over 16 MB"),
        "{error}"
    );
}

#[test]
fn an_error_event_with_an_empty_message_still_names_the_failure() {
    let c = client();
    c.transport().run_steps.replace(vec![event(
        json!({"errorCode": "EXTRACTION_FAILED", "errorMessage": "  ", "turnComplete": true}),
    )]);
    let (outcome, _) = run(&c);
    let error = outcome.expect_err("failed");
    assert_eq!(
        error.to_string(),
        "The server reported an error (EXTRACTION_FAILED). Try again, or ask differently."
    );
}

#[test]
fn a_silent_stream_is_followed_by_a_state_poll_that_reports_what_changed() {
    let c = client();
    // Before the run: one old file.
    c.transport().state.replace(
        json!({"draft": {}, "video_infos": [], "generated_media": [generated("old", "done")]}),
    );
    // The stream closes with nothing but a heartbeat (the hosted backend does this).
    c.transport()
        .run_steps
        .replace(vec![Step::Bytes(b": ping\n\n".to_vec())]);
    // What the state says after: the old file and a new one (still running, then done).
    c.transport().once(
        "/api/state/",
        client_support::ok(json!({"generated_media": [generated("old", "done")]})),
    );
    c.transport().once(
        "/api/state/",
        client_support::ok(
            json!({"generated_media": [generated("old", "done"), generated("new", "running")]}),
        ),
    );
    c.transport().once(
        "/api/state/",
        client_support::ok(
            json!({"generated_media": [generated("old", "done"), generated("new", "done")]}),
        ),
    );
    let (outcome, updates) = run(&c);
    let outcome = outcome.expect("outcome");
    assert!(outcome.from_state);
    assert_eq!(outcome.media.len(), 1);
    assert_eq!(outcome.media[0].id, "new");
    assert_eq!(outcome.text, "Ready: clip.mp3.");
    assert!(updates
        .iter()
        .any(|u| matches!(u, Update::Media { media } if media.id == "new")));
    // Waited between polls through the injected sleeper, not for real, on the schedule.
    assert_eq!(
        *c.transport().sleeps.borrow(),
        video_to_audio::client::POLL_SCHEDULE_MS[..1]
    );
}

#[test]
fn a_silent_stream_then_a_failed_file_reports_why_it_failed() {
    let c = client();
    c.transport()
        .state
        .replace(json!({"draft": {}, "video_infos": [], "generated_media": []}));
    c.transport().run_steps.replace(vec![]);
    let mut failed = generated("new", "failed");
    failed["error"] = json!(text::restarted(Lang::En));
    c.transport().once(
        "/api/state/",
        client_support::ok(json!({"generated_media": []})),
    );
    c.transport().once(
        "/api/state/",
        client_support::ok(json!({"generated_media": [failed]})),
    );
    let outcome = run(&c).0.expect("outcome");
    assert_eq!(outcome.media.len(), 1);
    assert_eq!(
        outcome.text,
        format!("clip.mp3 failed: {}", text::restarted(Lang::En)),
        "the reason and its next step reach the person"
    );
}

#[test]
fn a_silent_stream_with_no_change_says_so() {
    let c = client();
    c.transport().run_steps.replace(vec![]);
    let outcome = run(&c).0.expect("outcome");
    assert!(outcome.media.is_empty());
    assert!(
        outcome.text.contains("nothing in the session changed"),
        "{}",
        outcome.text
    );
}

#[test]
fn run_recovers_from_an_expired_token_and_a_rate_limit_before_the_stream() {
    let c = client();
    block_on(c.ensure_session()).expect("session");
    c.transport().run_steps.replace(extraction());
    c.transport().once("/run_sse", Reply::rate_limited(Some(3)));
    c.transport()
        .once("/run_sse", Reply::code(1001, "Token expired."));
    let (outcome, _) = run(&c);
    assert_eq!(outcome.expect("outcome").media.len(), 1);
    assert_eq!(*c.transport().sleeps.borrow(), [3_000]);
    let runs = c
        .transport()
        .paths()
        .iter()
        .filter(|p| *p == "/run_sse")
        .count();
    assert_eq!(runs, 3);
}

#[test]
fn out_of_credits_on_run_is_the_credits_sentence() {
    let c = client();
    c.transport()
        .once("/run_sse", Reply::code(2001, "No credits left."));
    let error = run(&c).0.expect_err("2001");
    assert_eq!(error.code(), ErrorCode::Number(2001));
    assert!(
        error
            .to_string()
            .starts_with("You're out of credits on the server at"),
        "{error}"
    );
}

#[test]
fn an_error_envelope_sent_with_200_instead_of_a_stream_is_still_the_error() {
    let c = client();
    c.transport().once(
        "/run_sse",
        Reply::Http {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: json!({"code": 2001, "message": "No credits."}).to_string(),
        },
    );
    let error = run(&c).0.expect_err("2001 with HTTP 200");
    assert_eq!(error.code(), ErrorCode::Number(2001));
}

#[test]
fn a_web_page_instead_of_a_stream_is_a_protocol_error() {
    let c = client();
    c.transport().once(
        "/run_sse",
        Reply::Http {
            status: 200,
            headers: vec![("content-type".into(), "text/html".into())],
            body: "<html>".repeat(50_000),
        },
    );
    let error = run(&c).0.expect_err("HTML");
    assert_eq!(error.code(), ErrorCode::Text("protocol"));
}

#[test]
fn a_garbled_event_is_a_protocol_error() {
    let c = client();
    c.transport()
        .run_steps
        .replace(vec![Step::Bytes(b"data: {not json\n\n".to_vec())]);
    let error = run(&c).0.expect_err("garbled");
    assert_eq!(error.code(), ErrorCode::Text("protocol"));
}
