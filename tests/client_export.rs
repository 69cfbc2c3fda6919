//! Exports (start and poll) and by-URL uploads, against the scripted fake server.

mod client_support;

use client_support::{block_on, client, Reply};
use serde_json::{json, Value};
use video_to_audio::client::ErrorCode;
use video_to_audio::protocol::JobStatus;

#[test]
fn an_export_sends_the_sessions_draft_and_can_be_polled() {
    let c = client();
    c.transport()
        .state
        .replace(json!({"draft": {"t": [{"tt": 1}]}, "video_infos": [], "generated_media": []}));
    let started = block_on(c.start_export(None)).expect("export");
    assert_eq!(started.status, JobStatus::Running);
    assert!(
        started.render_id.starts_with("render_"),
        "{}",
        started.render_id
    );
    let log = c.transport().log.borrow().clone();
    let request = log
        .iter()
        .find(|r| r.path == "/api/render/proxy/lambda")
        .expect("a render");
    let body: Value = serde_json::from_str(request.body.as_deref().expect("body")).expect("json");
    assert_eq!(body["sessionId"], c.session_id().expect("session").as_str());
    assert_eq!(body["draft"], json!({"t": [{"tt": 1}]}));
    assert_eq!(body["output"], json!({"format": "mp3", "quality": "high"}));

    let polled = block_on(c.export_status(&started.render_id)).expect("status");
    assert_eq!(polled.status, JobStatus::Done);
    let media = polled.media.expect("the exported file");
    assert_eq!(
        c.download_url(&media).as_deref(),
        Some("http://127.0.0.1:8787/api/files/g-1?exp=1&sig=ab")
    );
}

#[test]
fn two_exports_in_the_same_millisecond_get_different_ids() {
    let c = client();
    let a = block_on(c.start_export(Some(json!({"format": "wav"})))).expect("first");
    let b = block_on(c.start_export(Some(json!({"format": "flac"})))).expect("second");
    assert_ne!(a.render_id, b.render_id);
}

#[test]
fn a_refused_url_says_to_download_and_upload_instead() {
    let c = client();
    c.transport().once(
        "/api/upload-video/",
        Reply::code(4003, "The URL could not be fetched: it points at a private address. Download the file and upload it instead."),
    );
    let error = block_on(c.upload_url("http://10.0.0.1/v.mp4", None)).expect_err("refused");
    assert_eq!(error.code(), ErrorCode::Number(4003));
    assert!(
        error
            .to_string()
            .ends_with("Download the file and upload it instead."),
        "{error}"
    );
    let log = c.transport().log.borrow();
    let body: Value =
        serde_json::from_str(log.last().and_then(|r| r.body.as_deref()).expect("body"))
            .expect("json");
    assert_eq!(body, json!({"url": "http://10.0.0.1/v.mp4"}));
}

#[test]
fn a_url_upload_returns_the_media() {
    let c = client();
    let media = block_on(c.upload_url("https://example.test/v.mp4", Some("Talk"))).expect("upload");
    assert_eq!(media.media_id, "m-1");
}
