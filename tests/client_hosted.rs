//! The hosted service's own workflow, as its description tells it, against the scripted fake:
//! GUI-style answers, silent streams judged by the draft, the export and its polls, answers in
//! shapes the description does not pin down, and its time limits.

mod client_support;

use client_support::{block_on, client, event, ok, Reply, Step};
use serde_json::{json, Value};
use video_to_audio::client::{ClientError, ErrorCode, Outcome, Update, POLL_SCHEDULE_MS};
use video_to_audio::protocol::JobStatus;

type Fake = client_support::Fake;
type C = video_to_audio::client::Client<Fake>;

fn say(text: &str) -> Step {
    event(json!({"content": {"role": "model", "parts": [{"text": text}]}}))
}

fn draft_with_audio() -> Value {
    json!({"t": [
        {"tt": 0, "sg": [{"id": "v1", "n": "talk.mp4", "s": 0, "d": 3000}]},
        {"tt": 1, "sg": [{"id": "a1", "n": "talk.mp3", "s": 0, "d": 3000}]}
    ]})
}

fn run(c: &C) -> (Result<Outcome, ClientError>, Vec<Update>) {
    let mut updates = Vec::new();
    let outcome = block_on(c.run("extract the audio as mp3", &mut |u| updates.push(u)));
    (outcome, updates)
}

/// A session whose state was seen empty, then a run that changes the draft to `after`.
fn session_then(c: &C, steps: Vec<Step>, after: Value) {
    block_on(c.state()).expect("state before");
    c.transport().run_steps.replace(steps);
    c.transport()
        .state
        .replace(json!({"draft": after, "video_infos": [], "generated_media": []}));
}

#[test]
fn a_gui_answer_becomes_an_export_and_is_never_shown_raw() {
    let c = client();
    session_then(
        &c,
        vec![say(
            "I've extracted the audio track to the timeline. Click Export to download your MP3.",
        )],
        draft_with_audio(),
    );
    let outcome = run(&c).0.expect("outcome");
    assert!(outcome.media.is_empty());
    assert!(outcome.export, "the result is on the timeline: export it");
    assert!(!outcome.text.contains("Click"), "{}", outcome.text);
    assert!(
        outcome.text.starts_with("I've extracted the audio track"),
        "{}",
        outcome.text
    );
    assert_eq!(
        outcome.timeline.as_deref(),
        Some("Timeline (2 tracks): 1. Video: talk.mp4 (0–3s) 2. Audio: talk.mp3 (0–3s)")
    );
}

#[test]
fn a_refusal_in_words_changes_nothing_and_exports_nothing() {
    let c = client();
    session_then(&c, vec![say("I can only extract audio.")], json!({}));
    let outcome = run(&c).0.expect("outcome");
    assert!(!outcome.export);
    assert_eq!(outcome.text, "I can only extract audio.");
    assert_eq!(
        c.transport().sleeps.borrow().len(),
        0,
        "one look at the state, no waiting"
    );
}

#[test]
fn a_silent_stream_is_judged_by_the_draft_on_the_services_schedule() {
    let c = client();
    session_then(&c, vec![], draft_with_audio());
    // The edit lands after two looks (at 0 s and 2 s): the third one sees it.
    let unchanged = ok(json!({"draft": {}, "generated_media": []}));
    c.transport().once("/api/state/", unchanged.clone());
    c.transport().once("/api/state/", unchanged);
    let outcome = run(&c).0.expect("outcome");
    assert!(outcome.export);
    assert!(
        outcome
            .text
            .starts_with("The service updated the timeline. Timeline (2 tracks)"),
        "{}",
        outcome.text
    );
    assert_eq!(*c.transport().sleeps.borrow(), POLL_SCHEDULE_MS[..2]);
    assert!(
        POLL_SCHEDULE_MS.iter().sum::<u64>() >= 60_000,
        "tens of seconds, not 12"
    );
}

#[test]
fn an_export_is_polled_until_done_and_its_link_found_in_output_url() {
    let c = client();
    c.transport()
        .state
        .replace(json!({"draft": draft_with_audio()}));
    c.transport().once(
        "/api/render/proxy/lambda",
        ok(json!({"id": "r-9", "status": "queued", "extra": {"ignored": true}})),
    );
    c.transport().once(
        "/api/render/proxy/lambda/",
        ok(json!({"id": "r-9", "status": "rendering", "progress": 40})),
    );
    c.transport().once(
        "/api/render/proxy/lambda/",
        ok(json!({"status": "completed", "output": {"url": "https://cdn.example/out/talk.mp3?sig=1"}})),
    );
    let mut updates = Vec::new();
    let media = block_on(c.export_result(Some("mp3"), &mut |u| updates.push(u))).expect("exported");
    assert_eq!(media.status, JobStatus::Done);
    assert_eq!(media.name, "talk.mp3");
    assert_eq!(media.format, "mp3");
    assert_eq!(
        c.download_url(&media).as_deref(),
        Some("https://cdn.example/out/talk.mp3?sig=1")
    );
    // The body carried the draft and the asked format; the polls went to the render's id.
    let log = c.transport().log.borrow().clone();
    let start = log
        .iter()
        .find(|r| r.path == "/api/render/proxy/lambda")
        .expect("start");
    let body: Value = serde_json::from_str(start.body.as_deref().expect("body")).expect("json");
    assert_eq!(body["draft"], draft_with_audio());
    assert_eq!(body["output"]["format"], "mp3");
    assert!(body["id"].as_str().expect("id").starts_with("render_"));
    assert!(log.iter().any(|r| r.path == "/api/render/proxy/lambda/r-9"));
    assert_eq!(*c.transport().sleeps.borrow(), POLL_SCHEDULE_MS[..2]);
    assert!(updates
        .iter()
        .any(|u| matches!(u, Update::Progress { progress, stage, .. } if stage == "exporting" && (*progress - 0.4).abs() < 1e-9)));
}

#[test]
fn an_export_honours_the_pace_the_service_asks_for() {
    let c = client();
    c.transport().once(
        "/api/render/proxy/lambda",
        Reply::Http {
            status: 200,
            headers: vec![("Retry-After".into(), "1".into())],
            body: json!({"code": 0, "data": {"render_id": "r", "status": "processing"}})
                .to_string(),
        },
    );
    c.transport().once(
        "/api/render/proxy/lambda/",
        ok(json!({"status": "processing", "poll_after_ms": 500})),
    );
    c.transport().once(
        "/api/render/proxy/lambda/",
        ok(json!({"status": "success", "download_url": "/f/a.mp3"})),
    );
    block_on(c.export_result(None, &mut |_| {})).expect("exported");
    assert_eq!(*c.transport().sleeps.borrow(), [1_000, 500]);
}

#[test]
fn a_failed_export_says_why_and_what_to_do() {
    let c = client();
    c.transport().once(
        "/api/render/proxy/lambda",
        ok(json!({"render_id": "r", "status": "error", "error": "The GPU node crashed."})),
    );
    let error = block_on(c.export_result(None, &mut |_| {})).expect_err("failed");
    assert_eq!(error.code(), ErrorCode::Text("export_failed"));
    let text = error.to_string();
    assert!(text.contains("The GPU node crashed"), "{text}");
    assert!(text.contains("\"export\""), "{text}");
}

#[test]
fn a_finished_export_without_a_link_names_the_missing_field() {
    let c = client();
    c.transport().once(
        "/api/render/proxy/lambda",
        ok(json!({"render_id": "r", "status": "finished"})),
    );
    let error = block_on(c.export_result(None, &mut |_| {})).expect_err("no link");
    assert_eq!(error.code(), ErrorCode::Text("protocol"));
    assert!(error.to_string().contains("\"download_url\""), "{error}");
    assert!(!error.recoverable());
}

#[test]
fn an_export_that_never_finishes_is_given_up_after_fifteen_minutes() {
    let c = client();
    for _ in 0..60 {
        c.transport().once(
            "/api/render/proxy/lambda/",
            ok(json!({"status": "pending"})),
        );
    }
    let error = block_on(c.export_result(None, &mut |_| {})).expect_err("too long");
    assert_eq!(error.code(), ErrorCode::Text("timed_out"));
    assert!(error.to_string().contains("15 minutes"), "{error}");
    let waited: u64 = c.transport().sleeps.borrow().iter().sum();
    assert!(waited <= 15 * 60_000 && waited > 14 * 60_000, "{waited}");
}

#[test]
fn a_run_is_given_up_after_the_descriptions_fifteen_minutes() {
    let c = client();
    block_on(c.state()).expect("state");
    let mut steps = Vec::new();
    for _ in 0..20 {
        steps.push(Step::Wait(60_000.0));
        steps.push(Step::Bytes(b": keep-alive\n\n".to_vec()));
    }
    c.transport().run_steps.replace(steps);
    let error = run(&c).0.expect_err("too long");
    assert_eq!(error.code(), ErrorCode::Text("timed_out"));
    assert!(
        c.transport().now() <= 16.0 * 60_000.0,
        "{}",
        c.transport().now()
    );
}

#[test]
fn answers_in_other_shapes_are_read_and_an_unreadable_one_names_its_field() {
    let c = client();
    // A state whose files have only a name and a link, with other status words.
    c.transport().state.replace(json!({
        "draft": {"t": []},
        "video_infos": [{"id": "up-1"}],
        "generated_media": [
            {"name": "a.mp3", "url": "/f/a.mp3", "status": "success", "unknown": 1},
            {"id": "b", "status": "processing"}
        ]
    }));
    let state = block_on(c.state()).expect("state");
    assert_eq!(state.video_infos[0].media_id, "up-1");
    assert_eq!(state.generated_media[0].id, "a.mp3");
    assert_eq!(state.generated_media[0].status, JobStatus::Done);
    assert_eq!(state.generated_media[0].format, "mp3");
    assert_eq!(state.generated_media[1].status, JobStatus::Running);

    // An upload answered with only an id.
    c.transport()
        .once("/api/upload-video/", ok(json!({"id": "vid-7"})));
    let info = block_on(c.upload_url("https://example.test/v.mp4", None)).expect("upload");
    assert_eq!(info.media_id, "vid-7");

    // A balance without any number to show.
    c.transport()
        .once("/api/credits", ok(json!({"plan": "free"})));
    let error = block_on(c.credits()).expect_err("unreadable");
    assert!(error.to_string().contains("\"available\""), "{error}");
    assert!(
        error.to_string().contains("/api/credits/balance/simple"),
        "{error}"
    );
}

#[test]
fn status_is_the_track_summary_of_the_draft() {
    let c = client();
    c.transport()
        .state
        .replace(json!({"draft": draft_with_audio()}));
    assert_eq!(
        block_on(c.status_text()).expect("status"),
        "Timeline (2 tracks): 1. Video: talk.mp4 (0–3s) 2. Audio: talk.mp3 (0–3s)"
    );
    c.transport().state.replace(json!({"draft": {}}));
    assert!(block_on(c.status_text())
        .expect("status")
        .starts_with("The timeline is empty."));
}

#[test]
fn an_export_refused_with_402_is_the_plan_not_credits() {
    let c = client();
    c.transport().once(
        "/api/render/proxy/lambda",
        Reply::code(402, "Export is not available on the free plan."),
    );
    let error = block_on(c.export_result(None, &mut |_| {})).expect_err("402");
    assert_eq!(error.code(), ErrorCode::Number(402));
    let text = error.to_string();
    assert!(text.contains("not credits"), "{text}");
    assert!(text.contains("127.0.0.1:8787"), "{text}");
}

#[test]
fn a_drag_or_preview_reply_becomes_a_sentence_and_the_track_summary() {
    let c = client();
    session_then(
        &c,
        vec![say("Drag the clip onto the audio track.")],
        json!({}),
    );
    let outcome = run(&c).0.expect("outcome");
    assert!(!outcome.export);
    assert!(!outcome.text.contains("Drag"), "{}", outcome.text);
    assert!(
        outcome.text.contains("Describe the change in words"),
        "{}",
        outcome.text
    );

    let c = client();
    block_on(c.state()).expect("state");
    c.transport()
        .state
        .replace(json!({"draft": draft_with_audio()}));
    // The draft was already like this before the run: nothing changed, but the reply asked to
    // look at the timeline, so its summary is the answer.
    block_on(c.state()).expect("state");
    c.transport()
        .run_steps
        .replace(vec![say("Done! Preview in timeline to check it.")]);
    let outcome = run(&c).0.expect("outcome");
    assert!(!outcome.export);
    assert_eq!(
        outcome.text,
        "Done! Timeline (2 tracks): 1. Video: talk.mp4 (0–3s) 2. Audio: talk.mp3 (0–3s)"
    );
}

#[test]
fn gui_phrases_are_not_shown_while_the_text_streams_either() {
    let c = client();
    session_then(
        &c,
        vec![say("Done. Click Export to download your MP3.")],
        draft_with_audio(),
    );
    let (_, updates) = run(&c);
    let texts: Vec<&str> = updates
        .iter()
        .filter_map(|u| match u {
            Update::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(texts, ["Done."]);
}

#[test]
fn an_upload_that_changes_the_draft_is_not_taken_for_the_runs_result() {
    let c = client();
    block_on(c.state()).expect("state before");
    // The upload puts the video on the timeline; the run then only answers in words.
    c.transport().state.replace(json!({"draft": {"t": [
        {"tt": 0, "sg": [{"id": "v1", "n": "talk.mp4", "s": 0, "d": 3000}]}
    ]}}));
    block_on(c.upload_url("https://example.test/talk.mp4", None)).expect("upload");
    c.transport()
        .run_steps
        .replace(vec![say("I can only extract audio.")]);
    let outcome = run(&c).0.expect("outcome");
    assert!(!outcome.export, "{outcome:?}");
    assert_eq!(outcome.text, "I can only extract audio.");
}
