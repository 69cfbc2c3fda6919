//! The server answers in the session's language and understands requests in either language,
//! whatever the session's: an English request in a Chinese session is carried out, and told in
//! Chinese; a refusal names what was asked in the session's language. Errors met before any
//! session is known are said in the request's `Accept-Language`.

mod common;

use common::media::{fixture, Fixture};
use common::server::{final_text, generated, in_process, Api};
use v2a_protocol::text::{say, Key};
use v2a_protocol::{paths, ApiCode, Lang};

/// Han characters: the answer is written in Chinese.
fn is_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[tokio::test]
async fn an_english_request_in_a_chinese_session_is_done_and_told_in_chinese() {
    let server = in_process(&[]).await;
    let api = Api::connect(&server.base).await;
    let zh = api.new_session_in("zh-CN").await;
    api.upload_to(&zh, &fixture(Fixture::WavAudio), "talk.wav")
        .await;

    let (status, events, _) = api.run_in(&zh, "extract the audio as mp3").await;
    assert_eq!(status, 200);
    let media = generated(&events).expect("an English request is carried out");
    assert_eq!(media["format"], "mp3", "{media}");
    let intro = events[0].content.as_ref().expect("intro").text();
    assert!(is_chinese(&intro), "the intro is Chinese: {intro}");
    let done = final_text(&events);
    assert!(is_chinese(&done), "the final answer is Chinese: {done}");

    // A request the product cannot do: refused, in Chinese, including the reason.
    let (_, events, _) = api
        .run_in(&zh, "extract the audio at 9999 kbps as mp3")
        .await;
    let text = final_text(&events);
    assert!(generated(&events).is_none(), "{text}");
    assert!(text.starts_with("抱歉"), "{text}");
    assert!(
        !text.contains(" goes from "),
        "the reason is Chinese too: {text}"
    );
}

#[tokio::test]
async fn a_chinese_request_in_an_english_session_is_done_and_told_in_english() {
    let server = in_process(&[]).await;
    let api = Api::connect(&server.base).await;
    api.upload(&fixture(Fixture::WavAudio), "talk.wav").await;
    let (_, events, _) = api.run("提取音频为mp3").await;
    let media = generated(&events).expect("a Chinese request is carried out");
    assert_eq!(media["format"], "mp3", "{media}");
    let done = final_text(&events);
    assert!(!is_chinese(&done.replace("talk.wav", "")), "{done}");

    // No language said: the message's own.
    let none = api.new_session_in("").await;
    let (_, events, _) = api.run_in(&none, "我还有多少积分").await;
    assert!(final_text(&events).starts_with("你有"), "{events:?}");
}

/// The `message` of a GET of `path` with `accept_language` (or none), and its code.
async fn refusal(api: &Api, path: &str, accept_language: Option<&str>) -> (i64, String) {
    let mut request = api.http.get(api.url(path)).bearer_auth(&api.token);
    if let Some(tags) = accept_language {
        request = request.header("accept-language", tags);
    }
    let body = request.send().await.expect("GET").bytes().await;
    let body: serde_json::Value =
        serde_json::from_slice(&body.expect("a body")).expect("a JSON envelope");
    let message = body["message"].as_str().expect("a message").to_owned();
    (body["code"].as_i64().expect("a code"), message)
}

#[tokio::test]
async fn errors_before_a_session_is_known_are_said_in_the_requests_language() {
    let server = in_process(&[]).await;
    let api = Api::connect(&server.base).await;
    let unknown = paths::state("no-such-session");
    let (code, zh) = refusal(&api, &unknown, Some("zh-CN,zh;q=0.9,en;q=0.8")).await;
    assert_eq!(code, ApiCode::SessionNotFound.code());
    assert_eq!(zh, say(Lang::Zh, Key::ApiSessionNotFound, &[]));
    let (_, en) = refusal(&api, &unknown, None).await;
    assert_eq!(en, say(Lang::En, Key::ApiSessionNotFound, &[]));
    let (_, en) = refusal(&api, &unknown, Some("fr-FR,en;q=0.5")).await;
    assert_eq!(en, say(Lang::En, Key::ApiSessionNotFound, &[]));

    // A route that is not there, before any session is looked up.
    let (code, zh) = refusal(&api, "/no/such/route", Some("zh-CN")).await;
    assert_eq!(code, 404);
    let args = [("method", "GET"), ("path", "/no/such/route")];
    assert_eq!(zh, say(Lang::Zh, Key::ApiNoEndpoint, &args));

    // Once the session is found, its own language wins over the header's.
    let upload_how = |lang| say(lang, Key::ApiUploadHow, &[]);
    let english = api.new_session_in("en").await;
    let response = api
        .http
        .post(api.url(&paths::upload(&english)))
        .bearer_auth(&api.token)
        .header("accept-language", "zh-CN")
        .header("content-type", "text/plain")
        .body("not a file")
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 400);
    let body = response.bytes().await.expect("a body");
    let body: serde_json::Value = serde_json::from_slice(&body).expect("a JSON envelope");
    assert_eq!(body["message"], upload_how(Lang::En));
}

/// An upload the server cannot use, to a session that named no language: refused in the
/// request's `Accept-Language`, else English.
#[tokio::test]
async fn an_unusable_upload_is_refused_in_the_requests_language_when_the_session_has_none() {
    let server = in_process(&[]).await;
    let api = Api::connect(&server.base).await;
    let none = api.new_session_in("").await;
    let bytes = std::fs::read(fixture(Fixture::Png)).expect("the fixture");
    for (accept_language, lang) in [(Some("zh-CN,zh;q=0.9"), Lang::Zh), (None, Lang::En)] {
        let (content_type, body) = common::server::multipart("photo.png", &bytes);
        let mut request = api
            .http
            .post(api.url(&paths::upload(&none)))
            .bearer_auth(&api.token)
            .header("content-type", content_type)
            .body(body);
        if let Some(tags) = accept_language {
            request = request.header("accept-language", tags);
        }
        let response = request.send().await.expect("upload");
        let body = response.bytes().await.expect("a body");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("a JSON envelope");
        assert_eq!(body["code"], 4001, "{body}");
        assert_eq!(
            body["message"],
            v2a_protocol::text::no_sound(lang, "PNG"),
            "{accept_language:?}"
        );
    }
}
