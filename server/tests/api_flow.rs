//! The API over a real loopback socket, the way the extension uses it: upload, extract with
//! a plain-language message, follow the ADK event stream, download, check the audio itself.

mod common;

use std::time::Duration;

use serde_json::{json, Value};
use v2a_protocol::{paths, AdkEvent, EXTRACT_FUNCTION};

use common::media::{assert_tone, audio_facts, fixture, Fixture};
use common::server::{final_text, generated, in_process, Api};

fn save(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the download");
    path
}

fn progress_values(events: &[AdkEvent]) -> Vec<f64> {
    events
        .iter()
        .filter_map(|e| e.custom_metadata.as_ref()?.get("progress")?.as_f64())
        .collect()
}

#[tokio::test]
async fn upload_extract_follow_and_download_a_trimmed_mp3() {
    let server = in_process(&[]).await;
    let api = Api::connect(&server.base).await;
    let (status, body) = api
        .upload(&fixture(Fixture::Mp4H264Aac), "lecture.mp4")
        .await;
    assert_eq!(status, 200, "{body}");
    let info = &body["data"];
    assert_eq!(info["name"], "lecture.mp4");
    assert_eq!(info["container"], "mp4");
    assert_eq!(info["audio_streams"][0]["codec"], "aac");
    assert_eq!(info["no_audio"], false);

    let (status, events, _) = api.run("extract as mp3 from 0:01 to 0:03").await;
    assert_eq!(status, 200);
    // Intro text, the tool call with the spec, progress, the tool response, the final text.
    let intro = events[0].content.as_ref().expect("intro content").text();
    assert!(
        intro.starts_with("Extracting the audio of lecture.mp4 as MP3"),
        "{intro}"
    );
    let call = events[1]
        .content
        .as_ref()
        .and_then(|c| c.parts[0].function_call.clone())
        .expect("function call");
    assert_eq!(call.name, EXTRACT_FUNCTION);
    assert_eq!(call.args["spec"]["format"], "mp3");
    let progress = progress_values(&events);
    assert!(
        !progress.is_empty() && progress.windows(2).all(|w| w[0] <= w[1]),
        "{progress:?}"
    );
    assert_eq!(progress.last(), Some(&1.0));
    assert!(events
        .iter()
        .all(|e| e.invocation_id == events[0].invocation_id && e.author == "nemo_agent"));
    let media = generated(&events).expect("function response with generated_media");
    assert_eq!(media["status"], "done");
    assert_eq!(media["name"], "lecture.mp3");
    let text = final_text(&events);
    assert!(text.starts_with("Done: lecture.mp3 — MP3, 0:02,"), "{text}");
    assert!(text.ends_with("Download it below."), "{text}");

    // The state says the same, with a signed link.
    let state = api.state_of(&api.session).await;
    let out = &state["generated_media"][0];
    assert_eq!(out["status"], "done");
    assert_eq!(out["format"], "mp3");
    assert_eq!(state["video_infos"][0]["media_id"], info["media_id"]);
    assert_eq!(state["draft"]["t"][1]["tt"], 1);
    assert_eq!(state["draft"]["t"][1]["sg"][0]["id"], out["id"]);
    let draft_ms = state["draft"]["t"][1]["sg"][0]["d"]
        .as_i64()
        .expect("segment duration");
    assert!((draft_ms - 2000).abs() <= 60, "{draft_ms} ms");
    let url = out["download_url"].as_str().expect("download url");

    // Without any header, as a download manager would.
    let (status, headers, bytes) = api.fetch_plain(url).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "audio/mpeg");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"lecture.mp3\"; filename*=UTF-8''lecture%2Emp3"
    );
    assert_eq!(
        headers["content-length"].to_str().expect("ascii"),
        bytes.len().to_string()
    );
    let file = save(server.dir.path(), "got.mp3", &bytes);
    let facts = audio_facts(&file);
    assert_eq!(facts.codec, "mp3");
    assert!(
        (facts.duration - 2.0).abs() < 0.06,
        "duration {}",
        facts.duration
    );
    assert_tone(&file, 440.0);

    // Range and HEAD.
    let response = api
        .http
        .get(api.url(url))
        .header("range", "bytes=100-199")
        .send()
        .await
        .expect("range");
    assert_eq!(response.status(), 206);
    assert_eq!(
        response.headers()["content-range"],
        format!("bytes 100-199/{}", bytes.len()).as_str()
    );
    assert_eq!(
        response.bytes().await.expect("body").as_ref(),
        &bytes[100..200]
    );
    let response = api
        .http
        .get(api.url(url))
        .header("range", format!("bytes={}-", bytes.len() + 10))
        .send()
        .await
        .expect("range");
    assert_eq!(response.status(), 416);
    let response = api.http.head(api.url(url)).send().await.expect("head");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-length"]
            .to_str()
            .expect("ascii"),
        bytes.len().to_string()
    );
    // With the token instead of the signature.
    let id = out["id"].as_str().expect("id");
    let response = api
        .http
        .get(api.url(&paths::file(id)))
        .bearer_auth(&api.token)
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), 200);
    // A tampered signature is refused.
    let tampered = format!("{}0", url.trim_end_matches(|c: char| c.is_ascii_hexdigit()));
    let (status, _, body) = api.fetch_plain(&tampered).await;
    assert_eq!(status, 401, "{}", String::from_utf8_lossy(&body));

    // One credit was spent.
    let (_, credits) = api.get(paths::CREDITS).await;
    assert_eq!(
        credits["data"],
        json!({"available": 99.0, "frozen": 0.0, "total": 99.0})
    );
}

#[tokio::test]
async fn two_tokens_never_see_each_other() {
    let server = in_process(&[]).await;
    let alice = Api::connect(&server.base).await;
    let bob = Api::connect(&server.base).await;
    alice.upload(&fixture(Fixture::WavAudio), "alice.wav").await;
    let (_, events, _) = alice.run("extract as mp3").await;
    let media = generated(&events).expect("alice's result");
    let id = media["id"].as_str().expect("id");
    for path in [paths::state(&alice.session), paths::file(id)] {
        let (status, body) = bob.get(&path).await;
        assert_eq!(status, 404, "{path}: {body}");
    }
    let (status, body) = bob
        .upload_to(&alice.session, &fixture(Fixture::WavAudio), "x.wav")
        .await;
    assert_eq!((status, body["code"].as_i64()), (404, Some(1002)));
    let (status, _, body) = bob.run_in(&alice.session, "extract as mp3").await;
    assert_eq!((status, body["code"].as_i64()), (404, Some(1002)));
    let (status, body) = bob
        .post_json(
            paths::RENDER,
            json!({"id": "render_1", "sessionId": alice.session, "output": {}}),
        )
        .await;
    assert_eq!((status, body["code"].as_i64()), (404, Some(1002)));
    // Bob's own session is empty; Alice still has exactly her things.
    let state = bob.state_of(&bob.session).await;
    assert_eq!(state["video_infos"], json!([]));
    assert_eq!(state["generated_media"], json!([]));
    let state = alice.state_of(&alice.session).await;
    assert_eq!(state["video_infos"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn an_export_converts_or_hands_over_the_latest_result() {
    let server = in_process(&[]).await;
    let api = Api::connect(&server.base).await;
    api.upload(&fixture(Fixture::MkvVorbis), "clip.mkv").await;
    let (_, events, _) = api.run("extract as mp3").await;
    let first = generated(&events).expect("result");
    // "mp4" is not an audio format: the finished file is the export.
    let (status, body) = api
        .post_json(paths::RENDER, json!({"id": "render_100", "sessionId": api.session, "draft": {}, "output": {"format": "mp4", "quality": "high"}}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["render_id"], "render_100");
    assert_eq!(body["data"]["status"], "done");
    assert_eq!(body["data"]["media"]["id"], first["id"]);
    // Asking for WAV converts from the original upload; poll until done.
    let (status, body) = api
        .post_json(
            paths::RENDER,
            json!({"id": "render_200", "sessionId": api.session, "output": {"format": "wav"}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    // The answer asks to be polled again in a second while it runs, and stops asking once done.
    let raw = api
        .http
        .get(api.url(&paths::render_status("render_200")))
        .bearer_auth(&api.token)
        .send()
        .await
        .expect("poll");
    let retry_after = raw
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    let raw_body: serde_json::Value =
        serde_json::from_slice(&raw.bytes().await.expect("body")).expect("json");
    match raw_body["data"]["status"].as_str() {
        Some("done") => assert_eq!(retry_after, None),
        _ => assert_eq!(retry_after.as_deref(), Some("1"), "{raw_body}"),
    }
    let mut status_body = body["data"].clone();
    for _ in 0..100 {
        if status_body["status"] == "done" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (_, polled) = api.get(&paths::render_status("render_200")).await;
        status_body = polled["data"].clone();
    }
    assert_eq!(status_body["status"], "done", "{status_body}");
    assert_eq!(status_body["media"]["name"], "clip.wav");
    let (_, headers, bytes) = api
        .fetch_plain(status_body["download_url"].as_str().expect("url"))
        .await;
    assert_eq!(headers["content-type"], "audio/wav");
    let file = save(server.dir.path(), "clip.wav", &bytes);
    assert_eq!(audio_facts(&file).codec, "pcm_s16le");
    assert_tone(&file, Fixture::MkvVorbis.tone());
    // "export" typed into the chat hands over the latest result.
    let (_, events, _) = api.run("export").await;
    let text = final_text(&events);
    assert!(
        text.contains("clip.wav") && text.contains("/api/files/"),
        "{text}"
    );
    // Made moments ago with 24 hours' retention: what is left, never more.
    assert!(
        ["23", "24"]
            .iter()
            .any(|h| text.ends_with(&format!("The link works for {h} more hours."))),
        "{text}"
    );
    // Understood in Chinese too, and answered in the session's language.
    let (_, events, _) = api.run("导出").await;
    let text = final_text(&events);
    assert!(
        text.starts_with("Your latest result, clip.wav, is ready") && text.contains("/api/files/"),
        "{text}"
    );
    let zh = api.new_session_in("zh-CN").await;
    api.upload_to(&zh, &fixture(Fixture::WavAudio), "clip.wav")
        .await;
    let (_, events, _) = api.run_in(&zh, "extract as wav").await;
    assert!(generated(&events).is_some(), "{events:?}");
    let (_, events, _) = api.run_in(&zh, "export").await;
    let text = final_text(&events);
    assert!(
        text.starts_with("最新结果 clip.wav 已就绪") && text.contains("/api/files/"),
        "{text}"
    );
}

/// The media errors (ffprobe's refusal on upload, a missing track before a job) are said in a
/// Chinese session's language, whatever language the request came in.
#[tokio::test]
async fn media_refusals_are_said_in_the_sessions_language() {
    use v2a_protocol::text::{self, say, Key};
    use v2a_protocol::Lang;
    let server = in_process(&[]).await;
    let api = Api::connect(&server.base).await;
    let zh = api.new_session_in("zh-CN").await;
    let (status, body) = api
        .upload_to(&zh, &fixture(Fixture::Png), "photo.png")
        .await;
    assert_eq!(body["code"], 4001, "{status} {body}");
    assert_eq!(body["message"], text::no_sound(Lang::Zh, "PNG"));
    api.upload_to(&zh, &fixture(Fixture::WavAudio), "talk.wav")
        .await;
    let (_, events, _) = api.run_in(&zh, "extract track 3 as mp3").await;
    let want = say(
        Lang::Zh,
        Key::MediaNoTrackNumber,
        &[("n", "3"), ("count", "1")],
    );
    let named = say(
        Lang::Zh,
        Key::NamedProblem,
        &[("name", "talk.wav"), ("problem", &want)],
    );
    assert_eq!(final_text(&events), named);
}

#[tokio::test]
async fn plain_questions_get_plain_answers() {
    let server = in_process(&[]).await;
    let api = Api::connect(&server.base).await;
    let (_, events, _) = api.run("extract as mp3").await;
    assert!(
        final_text(&events).starts_with("Upload a video first"),
        "{events:?}"
    );
    api.upload(&fixture(Fixture::Mp4NoAudio), "silent.mp4")
        .await;
    let (_, events, _) = api.run("extract as mp3").await;
    assert!(
        final_text(&events).contains("silent.mp4 has no audio track"),
        "{events:?}"
    );
    api.upload(&fixture(Fixture::WavAudio), "talk.wav").await;
    let (_, events, _) = api.run("extract track 3 as mp3").await;
    let text = final_text(&events);
    assert!(
        text.starts_with("talk.wav: ") && text.contains("no audio track 3"),
        "{text}"
    );
    let (_, events, _) = api.run("how many credits do I have?").await;
    assert!(
        final_text(&events).contains("100 credits available"),
        "{events:?}"
    );
    let (_, events, _) = api.run("hello").await;
    assert!(
        final_text(&events).to_lowercase().contains("mp3"),
        "help lists formats: {events:?}"
    );
    let (_, events, _) = api.run("remove the background music").await;
    let text = final_text(&events);
    assert!(text.contains("can"), "{text}");
    let (_, events, _) = api.run("upload").await;
    let text = final_text(&events);
    assert!(
        text.contains(&paths::upload(&api.session)) && text.contains("\"file\""),
        "{text}"
    );
    let (_, events, _) = api.run("我还有多少积分").await;
    assert!(
        final_text(&events).starts_with("You have 100 credits available"),
        "{events:?}"
    );
    let (status, events, _) = api.run("show status").await;
    assert_eq!(status, 200);
    assert!(final_text(&events).contains("silent.mp4"), "{events:?}");
}

#[tokio::test]
async fn minting_tokens_is_rate_limited_per_address() {
    let server = in_process(&["--rate-limit-per-minute", "1", "--rate-limit-burst", "2"]).await;
    let http = reqwest::Client::new();
    let mint = || {
        http.post(format!("{}{}", server.base, paths::ANONYMOUS_TOKEN))
            .header("x-client-id", uuid::Uuid::new_v4().to_string())
            .send()
    };
    for _ in 0..2 {
        assert_eq!(mint().await.expect("token").status(), 200);
    }
    let refused = mint().await.expect("token");
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.headers()["retry-after"], "60");
    let body: Value = serde_json::from_slice(&refused.bytes().await.expect("body")).expect("json");
    assert_eq!(body["code"], 429);
}

#[tokio::test]
async fn the_message_picks_the_upload_and_the_audio_track() {
    let server = in_process(&[]).await;
    let api = Api::connect(&server.base).await;
    api.upload(&fixture(Fixture::MovTwoTracks), "interview.mov")
        .await;
    api.upload(&fixture(Fixture::AviMp3), "b-roll.avi").await;
    let (_, events, _) = api
        .run("extract the spanish track of the first video as wav, name it entrevista")
        .await;
    let media = generated(&events).unwrap_or_else(|| panic!("no result: {events:?}"));
    assert_eq!(media["name"], "entrevista.wav");
    let (_, _, bytes) = api
        .fetch_plain(media["download_url"].as_str().expect("url"))
        .await;
    let file = save(server.dir.path(), "entrevista.wav", &bytes);
    assert_tone(&file, 880.0);
    // The default is the latest upload, its first track, copied as it is (MP3 in AVI → .mp3).
    let (_, events, _) = api.run("extract the audio").await;
    let media = generated(&events).expect("result");
    assert_eq!(media["name"], "b-roll.mp3");
    assert_eq!(media["codec"], "mp3");
}

#[tokio::test]
async fn the_same_export_asked_at_once_converts_and_charges_once() {
    let server = in_process(&[]).await;
    let api = Api::connect(&server.base).await;
    api.upload(&fixture(Fixture::WavAudio), "talk.wav").await;
    let (_, events, _) = api.run("extract as mp3").await;
    generated(&events).expect("result");
    // A double click, or a retry racing the first request: one render id, four requests at once.
    let body =
        json!({"id": "render_twice", "sessionId": api.session, "output": {"format": "flac"}});
    let answers =
        futures_util::future::join_all((0..4).map(|_| api.post_json(paths::RENDER, body.clone())))
            .await;
    let media: Vec<Value> = answers
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, 200, "{body}");
            body["data"]["media"]["id"].clone()
        })
        .collect();
    assert!(
        media.iter().all(|m| m == &media[0]),
        "one output: {media:?}"
    );
    let converted = api.wait_output(&api.session, 1).await;
    assert_eq!(converted["name"], "talk.flac", "{converted}");
    let state = api.state_of(&api.session).await;
    assert_eq!(
        state["generated_media"].as_array().map(Vec::len),
        Some(2),
        "the extraction and one conversion: {state}"
    );
    let (_, credits) = api.get(paths::CREDITS).await;
    assert_eq!(credits["data"]["total"], json!(98.0), "{credits}");
}
