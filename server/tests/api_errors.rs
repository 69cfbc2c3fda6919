//! Every error the API answers, provoked by a real request through the router (no socket):
//! the envelope code, the HTTP status and the sentence a person reads.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use futures_util::stream;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use v2a_protocol::{paths, text, Content, Lang, RunSseRequest, APP_NAME};
use video_to_audio_server::{app, AppState};

use common::media::{fixture, Fixture};
use common::server::{config, multipart, multipart_parts};

struct Harness {
    router: Router,
    state: AppState,
    _dir: tempfile::TempDir,
}

async fn harness(extra: &[&str]) -> Harness {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = AppState::init(config(dir.path(), extra))
        .await
        .expect("state");
    Harness {
        router: app(state.clone()),
        state,
        _dir: dir,
    }
}

impl Harness {
    async fn send(&self, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (
            status,
            headers,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    async fn token(&self) -> String {
        let request = Request::post(paths::ANONYMOUS_TOKEN)
            .header("x-client-id", "test-client")
            .body(Body::empty())
            .expect("request");
        let (status, _, body) = self.send(request).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["data"]["token"].as_str().expect("token").to_owned()
    }

    async fn session(&self, token: &str) -> String {
        let (status, _, body) = self
            .send(json_request(
                "POST",
                paths::NEW_SESSION,
                token,
                json!({"task_name": "project"}),
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["data"]["session_id"]
            .as_str()
            .expect("session")
            .to_owned()
    }

    async fn upload(
        &self,
        token: &str,
        session: &str,
        file: &std::path::Path,
        name: &str,
    ) -> (StatusCode, Value) {
        let (content_type, bytes) = multipart(name, &std::fs::read(file).expect("read"));
        let request = Request::post(paths::upload(session))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(bytes))
            .expect("request");
        let (status, _, body) = self.send(request).await;
        (status, body)
    }

    /// Run a message and read the whole stream (the job finishes first).
    async fn run(&self, token: &str, session: &str, text: &str) -> (StatusCode, String) {
        let body = RunSseRequest {
            app_name: APP_NAME.into(),
            user_id: "me".into(),
            session_id: session.into(),
            new_message: Content::user_text(text),
            streaming: true,
        };
        let request = json_request(
            "POST",
            paths::RUN_SSE,
            token,
            serde_json::to_value(body).expect("json"),
        );
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    fn files_left(&self, dir: &str) -> usize {
        std::fs::read_dir(self.state.config.data_dir.join(dir))
            .expect("dir")
            .count()
    }
}

fn json_request(method: &str, path: &str, token: &str, body: Value) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request")
}

/// A request with no token and no body.
fn bare(method: &str, path: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .body(Body::empty())
        .expect("request")
}

fn get(path: &str, token: &str) -> Request<Body> {
    Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request")
}

fn assert_envelope(body: &Value, code: i64, words: &str) {
    assert_eq!(body["code"], code, "{body}");
    assert!(body["data"].is_null(), "{body}");
    let message = body["message"].as_str().expect("message");
    assert!(
        message.contains(words),
        "message {message:?} should say {words:?}"
    );
}

#[tokio::test]
async fn healthz_reports_the_versions() {
    let h = harness(&[]).await;
    let (status, _, body) = h.send(bare("GET", paths::HEALTHZ)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["code"], 0);
    assert_eq!(body["data"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        body["data"]["ffmpeg"]
            .as_str()
            .expect("ffmpeg")
            .starts_with("ffmpeg version"),
        "{body}"
    );
}

#[tokio::test]
async fn a_token_needs_a_client_id() {
    let h = harness(&[]).await;
    let (status, _, body) = h.send(bare("POST", paths::ANONYMOUS_TOKEN)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_envelope(&body, 400, "X-Client-Id header is missing");
}

#[tokio::test]
async fn missing_or_bad_tokens_are_1001() {
    let h = harness(&[]).await;
    let (status, _, body) = h.send(bare("GET", paths::CREDITS)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_envelope(&body, 1001, "anonymous-token");
    let (status, _, body) = h.send(get(paths::CREDITS, "not-a-real-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_envelope(&body, 1001, "invalid or expired");
    // A good token works and starts with the configured credits.
    let token = h.token().await;
    let (status, _, body) = h.send(get(paths::CREDITS, &token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["data"],
        json!({"available": 100.0, "frozen": 0.0, "total": 100.0})
    );
}

#[tokio::test]
async fn expired_tokens_are_1001() {
    let h = harness(&["--token-ttl-hours", "0"]).await;
    let token = h.token().await;
    let (status, _, body) = h.send(get(paths::CREDITS, &token)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_envelope(&body, 1001, "expired");
}

#[tokio::test]
async fn another_tokens_session_is_1002() {
    let h = harness(&[]).await;
    let (alice, bob) = (h.token().await, h.token().await);
    let session = h.session(&alice).await;
    let (status, _, body) = h.send(get(&paths::state(&session), &bob)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_envelope(&body, 1002, "Create a new one");
    let (status, body) = h
        .upload(&bob, &session, &fixture(Fixture::WavAudio), "a.wav")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_envelope(&body, 1002, "session does not exist");
    let (status, text) = h.run(&bob, &session, "extract as mp3").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(text.contains("1002"), "{text}");
    // The owner sees it.
    let (status, _, _) = h.send(get(&paths::state(&session), &alice)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_picture_is_4001_with_the_reason_and_the_accepted_types() {
    let h = harness(&[]).await;
    let token = h.token().await;
    let session = h.session(&token).await;
    // Named .mp4 on purpose: the type comes from the content.
    let (status, body) = h
        .upload(&token, &session, &fixture(Fixture::Png), "holiday.mp4")
        .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_envelope(&body, 4001, "PNG");
    assert_envelope(&body, 4001, "mp4, mov, avi, webm, mkv");
    // Word for word the sentence the extension's own pre-upload check shows.
    assert_eq!(body["message"], text::no_sound(Lang::En, "PNG"));
    assert_eq!(
        h.files_left("tmp") + h.files_left("media"),
        0,
        "the refused file is removed"
    );
}

#[tokio::test]
async fn an_upload_over_the_limit_is_4002_while_streaming_and_leaves_nothing() {
    let h = harness(&["--max-upload-mb", "1"]).await;
    let token = h.token().await;
    let session = h.session(&token).await;
    let (content_type, bytes) = multipart("big.wav", &vec![7u8; 3 * 1024 * 1024]);
    let request = Request::post(paths::upload(&session))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(bytes))
        .expect("request");
    let (status, _, body) = h.send(request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_envelope(
        &body,
        4002,
        "larger than the 1 MB limit. Trim or compress it first.",
    );
    assert_eq!(body["message"], text::too_large(Lang::En, 1_000_000));
    assert_eq!(h.files_left("tmp") + h.files_left("media"), 0);
}

#[tokio::test]
async fn a_20_mb_stream_beyond_a_10_mb_limit_is_refused_midway() {
    let h = harness(&["--max-upload-mb", "10"]).await;
    let token = h.token().await;
    let session = h.session(&token).await;
    let (content_type, head, tail) = multipart_parts("big.mkv");
    // 20 MB generated chunk by chunk, never whole in memory.
    let chunks = std::iter::once(head)
        .chain((0..320).map(|i| vec![(i % 251) as u8; 64 * 1024]))
        .chain(std::iter::once(tail))
        .map(|c| Ok::<_, std::io::Error>(bytes::Bytes::from(c)));
    let request = Request::post(paths::upload(&session))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from_stream(stream::iter(chunks)))
        .expect("request");
    let (status, _, body) = h.send(request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_envelope(&body, 4002, "10 MB limit");
    assert_eq!(h.files_left("tmp"), 0, "the partial file is removed");
    assert_eq!(h.files_left("media"), 0);
}

#[tokio::test]
async fn no_credits_left_is_2001_before_any_stream() {
    let h = harness(&["--credits", "1"]).await;
    let token = h.token().await;
    let session = h.session(&token).await;
    let (status, body) = h
        .upload(&token, &session, &fixture(Fixture::WavAudio), "talk.wav")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, text) = h.run(&token, &session, "extract as mp3").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("Done: talk."), "{text}");
    let (status, text) = h.run(&token, &session, "extract as wav").await;
    assert_eq!(status, StatusCode::PAYMENT_REQUIRED);
    let body: Value = serde_json::from_str(&text).expect("an envelope, not a stream");
    assert_envelope(&body, 2001, "no credits left");
    let (_, _, body) = h.send(get(paths::CREDITS, &token)).await;
    assert_eq!(
        body["data"],
        json!({"available": 0.0, "frozen": 0.0, "total": 0.0})
    );
}

#[tokio::test]
async fn too_many_requests_is_429_with_retry_after() {
    let h = harness(&["--rate-limit-per-minute", "2", "--rate-limit-burst", "3"]).await;
    let token = h.token().await;
    for _ in 0..3 {
        let (status, _, _) = h.send(get(paths::CREDITS, &token)).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, headers, body) = h.send(get(paths::CREDITS, &token)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_envelope(&body, 429, "Wait 30 seconds");
    assert_eq!(headers.get("retry-after").expect("Retry-After"), "30");
    // Another token has its own bucket.
    let other = h.token().await;
    let (status, _, _) = h.send(get(paths::CREDITS, &other)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn private_and_odd_urls_are_4003_with_the_reason() {
    let h = harness(&[]).await;
    let token = h.token().await;
    let session = h.session(&token).await;
    for (url, words) in [
        (
            "http://127.0.0.1:9/video.mp4",
            "private, local or reserved address (127.0.0.1)",
        ),
        (
            "http://[::ffff:10.0.0.1]/v.mp4",
            "private, local or reserved address",
        ),
        ("http://169.254.169.254/latest/meta-data", "169.254.169.254"),
        (
            "http://localhost:9/v.mp4",
            "private, local or reserved address",
        ),
        ("ftp://example.com/v.mp4", "only http and https"),
        ("not a url", "not a valid URL"),
    ] {
        let (status, _, body) = h
            .send(json_request(
                "POST",
                &paths::upload(&session),
                &token,
                json!({ "url": url }),
            ))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {body}");
        assert_envelope(&body, 4003, words);
        assert_envelope(&body, 4003, "upload it instead");
    }
}

#[tokio::test]
async fn a_by_url_body_is_read_under_a_small_cap_and_bad_json_is_explained() {
    let h = harness(&[]).await;
    let token = h.token().await;
    let session = h.session(&token).await;
    let huge = "x".repeat(200 * 1024);
    for (body, words) in [
        (format!("{{\"url\": \"{huge}\"}}"), "small JSON body"),
        ("{\"link\": 1}".to_string(), "could not be read"),
    ] {
        let request = Request::post(paths::upload(&session))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .expect("request");
        let (status, _, body) = h.send(request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_envelope(&body, 400, words);
    }
}

#[tokio::test]
async fn unknown_routes_and_bad_bodies_get_envelopes() {
    let h = harness(&[]).await;
    let (status, _, body) = h.send(bare("GET", "/api/nothing")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_envelope(&body, 404, "no endpoint GET /api/nothing");
    let (status, _, body) = h.send(bare("GET", paths::RUN_SSE)).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_envelope(&body, 405, "GET is not allowed on /run_sse");
    let token = h.token().await;
    let bad = Request::post(paths::NEW_SESSION)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .expect("request");
    let (status, _, body) = h.send(bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_envelope(&body, 400, "not the JSON this endpoint expects");
    let (status, _, body) = h.send(get(&paths::file("no-such-id"), &token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_envelope(&body, 404, "no such file");
    let (status, _, body) = h.send(get(&paths::render_status("render_1"), &token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_envelope(&body, 404, "No export with this id");
}

#[tokio::test]
async fn cors_allows_extension_origins_and_configured_ones_only() {
    let h = harness(&["--allow-origin", "https://studio.example"]).await;
    let preflight = |origin: &str| {
        Request::options(paths::RUN_SSE)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization,content-type,x-skill-source",
            )
            .body(Body::empty())
            .expect("request")
    };
    for origin in [
        "chrome-extension://abcdefghijklmnop",
        "moz-extension://1234-5678",
        "https://studio.example",
    ] {
        let (_, headers, _) = h.send(preflight(origin)).await;
        assert_eq!(
            headers
                .get("access-control-allow-origin")
                .map(|v| v.to_str().expect("ascii")),
            Some(origin)
        );
        let allowed = headers
            .get("access-control-allow-headers")
            .expect("allowed headers")
            .to_str()
            .expect("ascii")
            .to_owned();
        assert!(
            allowed.contains("authorization") && allowed.contains("x-skill-source"),
            "{allowed}"
        );
    }
    let (_, headers, _) = h.send(preflight("https://evil.example")).await;
    assert!(headers.get("access-control-allow-origin").is_none());
    let request = Request::get(paths::HEALTHZ)
        .header("origin", "chrome-extension://abc")
        .body(Body::empty())
        .expect("request");
    let (_, headers, _) = h.send(request).await;
    let exposed = headers
        .get("access-control-expose-headers")
        .expect("exposed")
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        exposed.contains("content-disposition") && exposed.contains("retry-after"),
        "{exposed}"
    );
}
