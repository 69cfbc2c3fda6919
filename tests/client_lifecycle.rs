//! Token and session lifecycle and the recovery rules, against the scripted fake server.

mod client_support;

use client_support::{block_on, client, client_with, poll_once, Reply};
use video_to_audio::client::{ClientError, Config, ErrorCode};

const CLIENT_ID: &str = "0b5e7a54-1111-4222-8333-444455556666";

#[test]
fn first_use_acquires_a_token_then_a_session_and_sends_attribution_headers_everywhere() {
    let c = client();
    let session = block_on(c.ensure_session()).expect("session");
    assert_eq!(session, "sess-2");
    assert_eq!(c.token().as_deref(), Some("tok-1"));
    let credits = block_on(c.credits()).expect("credits");
    assert_eq!(credits.available, 99.0);
    let log = c.transport().log.borrow();
    assert_eq!(
        c.transport().paths(),
        [
            "/api/auth/anonymous-token",
            "/api/tasks/me/with-session/nemo_agent",
            "/api/credits/balance/simple"
        ]
    );
    for request in log.iter() {
        assert_eq!(request.header("x-skill-source"), Some("video-to-audio"));
        assert_eq!(
            request.header("x-skill-version"),
            Some(video_to_audio::VERSION)
        );
        // One of the description's values: the extension cannot tell its install path.
        assert_eq!(request.header("x-skill-platform"), Some("unknown"));
        assert_eq!(request.header("x-client-id"), Some(CLIENT_ID));
        assert!(
            request.url.starts_with("http://127.0.0.1:8787/"),
            "{}",
            request.url
        );
    }
    assert_eq!(log[0].header("authorization"), None);
    assert_eq!(log[1].header("authorization"), Some("Bearer tok-1"));
    // No language set: the browser's own Accept-Language goes.
    assert!(log.iter().all(|r| r.header("accept-language").is_none()));
    let body: serde_json::Value =
        serde_json::from_str(log[1].body.as_deref().expect("a body")).expect("json");
    assert_eq!(body["task_name"], "project");
}

#[test]
fn a_configured_token_and_session_are_used_without_asking_for_new_ones() {
    let config = Config {
        token: Some("fixed".into()),
        session_id: Some("sess-9".into()),
        ..Config::new(CLIENT_ID)
    };
    let c = client_with(config);
    c.transport().accept_token("fixed");
    assert_eq!(block_on(c.ensure_session()).expect("session"), "sess-9");
    block_on(c.credits()).expect("credits");
    assert_eq!(c.transport().paths(), ["/api/credits/balance/simple"]);
}

#[test]
fn an_expired_anonymous_token_is_replaced_once_and_the_request_retried() {
    let config = Config {
        anonymous_token: Some("expired".into()),
        ..Config::new(CLIENT_ID)
    };
    let c = client_with(config);
    let credits = block_on(c.credits()).expect("credits after a new token");
    assert_eq!(credits.total, 100.0);
    assert_eq!(
        c.transport().paths(),
        [
            "/api/credits/balance/simple",
            "/api/auth/anonymous-token",
            "/api/credits/balance/simple"
        ]
    );
    assert_eq!(c.token().as_deref(), Some("tok-1"));
}

#[test]
fn a_refused_token_from_the_options_is_reported_not_swapped() {
    for work in ["credits", "session"] {
        let config = Config {
            token: Some("expired".into()),
            // Even with an anonymous token at hand: the person chose their own.
            anonymous_token: Some("tok-0".into()),
            ..Config::new(CLIENT_ID)
        };
        let c = client_with(config);
        let error = match work {
            "credits" => block_on(c.credits()).map(drop),
            _ => block_on(c.ensure_session()).map(drop),
        }
        .expect_err("the server refuses the token");
        assert_eq!(error.code(), ErrorCode::Number(1001));
        assert!(!error.recoverable(), "trying again cannot help");
        assert_eq!(
            error.to_string(),
            "The server refused the token set in the extension's options (Token expired or \
             invalid). Put a current token there, or clear the field to use a free anonymous one."
        );
        assert!(
            !c.transport()
                .paths()
                .iter()
                .any(|p| p == "/api/auth/anonymous-token"),
            "{work}: no anonymous token was fetched in its place"
        );
        assert_eq!(c.token().as_deref(), Some("expired"));
    }
}

#[test]
fn a_token_refused_twice_gives_up_with_a_sentence() {
    let c = client();
    block_on(c.credits()).expect("first call works");
    c.transport()
        .once("/api/credits", Reply::code(1001, "Token expired."));
    c.transport()
        .once("/api/credits", Reply::code(1001, "Token expired."));
    let error = block_on(c.credits()).expect_err("two 1001s in a row");
    assert_eq!(error.code(), ErrorCode::Number(1001));
    assert!(error.recoverable());
    assert!(error.to_string().contains("expired"), "{error}");
    // One new token only: the original request, one token, one retry.
    let paths = c.transport().paths();
    assert_eq!(
        paths
            .iter()
            .filter(|p| p.contains("anonymous-token"))
            .count(),
        2,
        "{paths:?}"
    );
}

#[test]
fn a_lost_session_is_recreated_once_and_the_request_retried() {
    let c = client();
    let first = block_on(c.ensure_session()).expect("session");
    c.transport().drop_sessions();
    let state = block_on(c.state()).expect("state after a new session");
    assert!(state.generated_media.is_empty());
    let second = c.session_id().expect("a session");
    assert_ne!(first, second);
    let paths = c.transport().paths();
    assert_eq!(
        paths.iter().filter(|p| p.contains("with-session")).count(),
        2,
        "{paths:?}"
    );
}

#[test]
fn an_expired_token_and_its_lost_session_both_recover_in_one_call() {
    // The new token belongs to a new user: the server then also says 1002 for the old session.
    let c = client();
    block_on(c.ensure_session()).expect("session");
    c.transport().expire_tokens();
    c.transport().drop_sessions();
    block_on(c.state()).expect("state after a new token and a new session");
    let paths = c.transport().paths();
    assert_eq!(
        paths.last().map(String::as_str),
        Some("/api/state/nemo_agent/me/sess-4/latest")
    );
}

#[test]
fn rate_limited_waits_retry_after_then_retries_once() {
    let c = client();
    c.transport()
        .once("/api/credits", Reply::rate_limited(Some(7)));
    block_on(c.credits()).expect("credits after waiting");
    assert_eq!(*c.transport().sleeps.borrow(), [7_000]);
}

#[test]
fn rate_limited_without_retry_after_waits_thirty_seconds() {
    let c = client();
    c.transport()
        .once("/api/credits", Reply::rate_limited(None));
    block_on(c.credits()).expect("credits after waiting");
    assert_eq!(*c.transport().sleeps.borrow(), [30_000]);
}

#[test]
fn a_retry_after_longer_than_a_minute_is_reported_at_once_not_waited_out() {
    let c = client();
    c.transport()
        .once("/api/credits", Reply::rate_limited(Some(3600)));
    let error = block_on(c.credits()).expect_err("an hour is not waited silently");
    assert_eq!(error.code(), ErrorCode::Number(429));
    assert!(error.to_string().contains("Wait a minute"), "{error}");
    assert!(c.transport().sleeps.borrow().is_empty());
}

#[test]
fn rate_limited_twice_is_an_error_that_says_to_wait() {
    let c = client();
    c.transport()
        .once("/api/credits", Reply::rate_limited(Some(2)));
    c.transport()
        .once("/api/credits", Reply::rate_limited(Some(2)));
    let error = block_on(c.credits()).expect_err("429 after the one retry");
    assert_eq!(error.code(), ErrorCode::Number(429));
    assert!(error.recoverable());
    assert!(error.to_string().contains("Wait a minute"), "{error}");
    assert_eq!(*c.transport().sleeps.borrow(), [2_000]);
}

#[test]
fn out_of_credits_says_how_to_get_more_on_the_backend_in_use() {
    // This project's server, on loopback: its operator's --credits flag.
    let c = client();
    c.transport()
        .once("/api/credits", Reply::code(2001, "No credits."));
    let error = block_on(c.credits()).expect_err("2001");
    assert_eq!(error.code(), ErrorCode::Number(2001));
    assert!(!error.recoverable());
    let text = error.to_string();
    assert!(text.starts_with("You're out of credits"), "{text}");
    assert!(text.contains("--credits"), "{text}");
    assert!(text.contains("127.0.0.1:8787"), "{text}");

    // The hosted service with its registration link: that link, with its bind id.
    let mut config = Config::new(CLIENT_ID);
    config.base_url = "https://video.example".into();
    let c = client_with(config.clone());
    c.transport().once(
        "/api/credits",
        Reply::code(
            2001,
            "Out of credits. Register at https://video.example/register?bind=abc123.",
        ),
    );
    let text = block_on(c.credits()).expect_err("2001").to_string();
    assert!(
        text.contains("https://video.example/register?bind=abc123 "),
        "{text}"
    );
    assert!(!text.contains("--credits"), "{text}");

    // Another backend that gives no link: its account, by host, in the session's language.
    config.language = Some("zh-CN".into());
    let c = client_with(config);
    c.transport()
        .once("/api/credits", Reply::code(2001, "No credits."));
    let text = block_on(c.credits()).expect_err("2001").to_string();
    assert!(text.contains("video.example"), "{text}");
    assert!(text.contains("积分已用完"), "{text}");
}

#[test]
fn a_plan_without_exports_is_not_called_a_credit_problem() {
    let c = client();
    c.transport()
        .once("/api/credits", Reply::code(402, "Export blocked."));
    let error = block_on(c.credits()).expect_err("402");
    assert_eq!(error.code(), ErrorCode::Number(402));
    assert!(error.to_string().contains("not credits"), "{error}");
    assert!(error.to_string().contains("Upgrade"), "{error}");
}

#[test]
fn the_version_header_is_the_extensions_and_the_platform_one_of_the_descriptions() {
    let mut config = Config::new(CLIENT_ID);
    config.version = Some("3.2.1".into());
    config.platform = "browser-extension".into();
    let c = client_with(config);
    block_on(c.credits()).expect("credits");
    for request in c.transport().log.borrow().iter() {
        assert_eq!(request.header("x-skill-version"), Some("3.2.1"));
        assert_eq!(request.header("x-skill-platform"), Some("unknown"));
    }
}

#[test]
fn the_servers_own_sentence_is_kept_for_unsupported_and_too_large() {
    let c = client();
    let sentence = "This is an image (PNG); it has no sound to extract. Accepted: mp4 video.";
    c.transport()
        .once("/api/upload-video/", Reply::code(4001, sentence));
    let error = block_on(c.upload_file(
        &vec![0; 10],
        "a.mp4",
        10,
        "video/mp4",
        std::rc::Rc::new(|_, _| {}),
    ))
    .expect_err("4001");
    assert_eq!(error.to_string(), sentence);
    assert_eq!(error.code(), ErrorCode::Number(4001));
    c.transport()
        .once("/api/upload-video/", Reply::code(4002, ""));
    let error = block_on(c.upload_file(
        &vec![0; 10],
        "a.mp4",
        10,
        "video/mp4",
        std::rc::Rc::new(|_, _| {}),
    ))
    .expect_err("4002");
    assert!(
        error.to_string().contains("Trim or compress it first."),
        "{error}"
    );
}

#[test]
fn a_server_that_is_down_is_a_network_error_with_the_way_to_start_it() {
    let c = client();
    c.transport()
        .once("/api/auth", Reply::Network("connection refused".into()));
    let error = block_on(c.ensure_session()).expect_err("down");
    assert_eq!(error.code(), ErrorCode::Text("network"));
    assert!(error.recoverable());
    assert_eq!(
        error.to_string(),
        "Can't reach the Video to Audio server at http://127.0.0.1:8787. Start it with \
         ./build.sh run (or check the backend address in the extension's options)."
    );
}

#[test]
fn html_instead_of_json_is_a_protocol_error_not_a_crash() {
    let c = client();
    c.transport().once("/api/credits", captive_portal());
    let error = block_on(c.credits()).expect_err("not JSON");
    assert!(matches!(error, ClientError::Protocol { .. }), "{error:?}");
    assert!(error.to_string().contains("captive portal"), "{error}");
    assert!(!error.recoverable());
}

/// An HTML page where the API's JSON should be (a Wi-Fi login page in front of the server).
fn captive_portal() -> Reply {
    Reply::Http {
        status: 200,
        headers: vec![],
        body: "<html>captive portal</html>".into(),
    }
}

/// A Chinese session's client says its own failures in Chinese too, even those found where the
/// session is not at hand (reading an answer) and a server that cannot be reached.
#[test]
fn the_clients_own_failures_are_said_in_the_sessions_language() {
    use video_to_audio::protocol::text::{say, Key};
    use video_to_audio::protocol::Lang;
    let mut config = Config::new("0b5e7a54-1111-4222-8333-444455556666");
    config.language = Some("zh-CN".into());
    let c = client_with(config.clone());
    c.transport().once("/api/credits", captive_portal());
    // Every request names the language, so that a server's errors before a session are said
    // in it too.
    block_on(c.ensure_session()).expect("session");
    let log = c.transport().log.borrow().clone();
    assert!(!log.is_empty());
    assert!(log
        .iter()
        .all(|r| r.header("accept-language") == Some("zh-CN")));
    let error = block_on(c.credits()).expect_err("not JSON");
    let ClientError::Protocol { detail, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        error.to_string(),
        say(Lang::Zh, Key::ClientProtocol, &[("detail", detail)])
    );
    let c = client_with(config);
    c.transport()
        .once("/api/auth", Reply::Network("connection refused".into()));
    let error = block_on(c.credits()).expect_err("unreachable");
    assert_eq!(error.code(), ErrorCode::Text("network"));
    assert!(error.to_string().starts_with("无法连接"), "{error}");
    let step = error.next_step().expect("a next step");
    assert!(step.starts_with("请用 ./build.sh run"), "{step}");
    assert!(error.to_string().ends_with(&step));
}

#[test]
fn a_bare_http_error_without_an_envelope_is_classified_by_status() {
    let c = client();
    c.transport().once(
        "/api/credits",
        Reply::Http {
            status: 502,
            headers: vec![],
            body: "Bad Gateway".into(),
        },
    );
    let error = block_on(c.credits()).expect_err("502");
    assert_eq!(error.code(), ErrorCode::Number(502));
    assert!(error.recoverable());
    assert!(error.to_string().contains("Bad Gateway"), "{error}");
}

#[test]
fn abort_during_a_rate_limit_wait_stops_with_aborted_and_sends_no_retry() {
    let c = client();
    block_on(c.ensure_session()).expect("session");
    c.transport()
        .once("/api/credits", Reply::rate_limited(Some(1)));
    c.transport().pause_in_sleep.set(true);
    let mut future = std::pin::pin!(c.credits());
    assert!(
        poll_once(future.as_mut()).is_pending(),
        "waiting out the 429"
    );
    c.abort();
    let error = block_on(future).expect_err("aborted");
    assert!(matches!(error, ClientError::Aborted { .. }), "{error:?}");
    assert_eq!(error.code(), ErrorCode::Text("aborted"));
    let credit_calls = c
        .transport()
        .paths()
        .iter()
        .filter(|p| p.contains("credits"))
        .count();
    assert_eq!(credit_calls, 1, "no retry after the abort");
}

#[test]
fn health_needs_no_token() {
    let c = client();
    let health = block_on(c.health()).expect("health");
    assert_eq!(health["version"], "test");
    assert_eq!(c.transport().paths(), ["/healthz"]);
}
