//! The server answers in the session's language and understands requests in either language,
//! whatever the session's: an English request in a Chinese session is carried out, and told in
//! Chinese; a refusal names what was asked in the session's language.

mod common;

use common::media::{fixture, Fixture};
use common::server::{final_text, generated, in_process, Api};

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
