//! `probe` and `Tools::check` against real ffprobe: every accepted container is recognised from
//! its content, and every other kind of file is refused with a sentence that says why.

mod common;

use std::path::Path;

use common::media::{fixture, noise, renamed_copy, truncated_copy, write_file, Fixture, SECONDS};
use v2a_protocol::text::{self, Key};
use v2a_protocol::Lang;
use video_to_audio_server::media::{probe, MediaError, Tools};

const ACCEPTED: &str = "Accepted: mp4, mov, avi, webm, mkv video, or mp3, wav, m4a, aac audio.";

fn tools() -> Tools {
    Tools::default()
}

async fn unsupported(path: &Path) -> String {
    match probe(&tools(), path).await {
        Err(MediaError::Unsupported(message)) => message.to_string(),
        other => panic!("{path:?}: expected Unsupported, got {other:?}"),
    }
}

#[tokio::test]
async fn tools_check_reports_the_ffmpeg_version() {
    let version = tools()
        .check()
        .await
        .expect("ffmpeg and ffprobe are installed");
    assert!(version.starts_with("ffmpeg version "), "{version}");
}

#[tokio::test]
async fn a_missing_tool_says_how_to_fix_it() {
    let missing = Tools::new("/nonexistent/ffmpeg", "ffprobe");
    let e = missing.check().await.expect_err("no ffmpeg there");
    assert!(matches!(e, MediaError::Tool(_)), "{e:?}");
    assert!(
        e.to_string().contains("ffmpeg was not found at '/nonexistent/ffmpeg': install it (apt-get install ffmpeg) or pass --ffmpeg"),
        "{e}"
    );
    let e = Tools::new("ffmpeg", "/nonexistent/ffprobe")
        .check()
        .await
        .expect_err("no ffprobe");
    assert!(e.to_string().contains("pass --ffprobe"), "{e}");
    // probe needs ffprobe too, and says so the same way.
    let e = probe(
        &Tools::new("ffmpeg", "/nonexistent/ffprobe"),
        &fixture(Fixture::WavAudio),
    )
    .await
    .expect_err("no ffprobe");
    assert!(matches!(e, MediaError::Tool(_)), "{e:?}");
}

#[tokio::test]
async fn every_accepted_container_is_recognised() {
    let all = Fixture::VIDEOS.into_iter().chain([
        Fixture::Mp3Audio,
        Fixture::WavAudio,
        Fixture::M4aAudio,
        Fixture::AacAdts,
    ]);
    for which in all {
        let p = probe(&tools(), &fixture(which))
            .await
            .unwrap_or_else(|e| panic!("{which:?}: {e}"));
        assert_eq!(p.container, which.container(), "{which:?}");
        assert!(
            (p.duration - SECONDS).abs() <= 0.15,
            "{which:?}: duration {}",
            p.duration
        );
        let video = Fixture::VIDEOS.contains(&which);
        assert_eq!(p.has_video, video, "{which:?}");
        let first = &p.audio_streams[0];
        assert_eq!(first.index, 0);
        assert_eq!(first.codec, which.codec(), "{which:?}");
        assert_eq!(first.channels, 2, "{which:?}");
        assert_eq!(first.sample_rate, which.sample_rate(), "{which:?}");
    }
}

#[tokio::test]
async fn two_tracks_with_languages() {
    let p = probe(&tools(), &fixture(Fixture::MovTwoTracks))
        .await
        .expect("mov");
    assert_eq!(p.container, "mov");
    assert_eq!(p.audio_streams.len(), 2);
    assert_eq!(p.audio_streams[0].language.as_deref(), Some("eng"));
    assert_eq!(p.audio_streams[1].language.as_deref(), Some("spa"));
    assert_eq!(p.audio_streams[1].index, 1);
    let rate = p.audio_streams[0]
        .bit_rate
        .expect("AAC in MOV has a bit rate");
    assert!((30_000..400_000).contains(&rate), "{rate}");
}

#[tokio::test]
async fn a_video_without_sound_probes_with_no_audio_streams() {
    let p = probe(&tools(), &fixture(Fixture::Mp4NoAudio))
        .await
        .expect("mp4 without audio");
    assert_eq!(p.container, "mp4");
    assert!(p.has_video);
    assert!(p.audio_streams.is_empty());
}

#[tokio::test]
async fn images_are_refused_as_images() {
    let m = unsupported(&fixture(Fixture::Png)).await;
    assert_eq!(
        m,
        format!("This is an image (PNG); it has no sound to extract. {ACCEPTED}")
    );
    let m = unsupported(&fixture(Fixture::Jpg)).await;
    assert_eq!(
        m,
        format!("This is an image (JPEG); it has no sound to extract. {ACCEPTED}")
    );
}

#[tokio::test]
async fn documents_and_noise_are_refused_with_the_accepted_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = write_file(dir.path(), "notes.mp4", b"Meeting notes\n- extract audio\n");
    assert_eq!(
        unsupported(&text).await,
        format!(
            "This looks like a text file, not a video or audio file this service takes. {ACCEPTED}"
        )
    );
    let pdf = write_file(
        dir.path(),
        "paper.mov",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
    );
    assert!(unsupported(&pdf)
        .await
        .starts_with("This looks like a PDF document"));
    for seed in 1..=5 {
        let random = write_file(
            dir.path(),
            &format!("random{seed}.mp3"),
            &noise(64 * 1024, seed),
        );
        assert_eq!(
            unsupported(&random).await,
            format!("This file is not a video or audio type this service can read. {ACCEPTED}"),
            "seed {seed}"
        );
    }
    let empty = write_file(dir.path(), "empty.mp4", b"");
    assert!(unsupported(&empty).await.ends_with(ACCEPTED));
}

#[tokio::test]
async fn a_truncated_mp4_is_called_damaged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cut = truncated_copy(Fixture::Mp4H264Aac, 0.3, dir.path(), "cut.mp4");
    assert_eq!(
        unsupported(&cut).await,
        "This MP4/MOV file is damaged or incomplete (perhaps cut short while uploading), so its sound cannot be read; upload the complete file again."
    );
    // A Chinese session hears the same refusal in Chinese.
    let e = probe(&tools(), &cut).await.expect_err("damaged");
    assert_eq!(
        e.say(Lang::Zh),
        text::say(Lang::Zh, Key::MediaDamaged, &[("kind", "MP4/MOV")])
    );
}

#[tokio::test]
async fn the_type_comes_from_the_content_not_the_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mp4_as_text = renamed_copy(Fixture::Mp4H264Aac, dir.path(), "movie.txt");
    assert_eq!(
        probe(&tools(), &mp4_as_text)
            .await
            .expect("an MP4 named .txt")
            .container,
        "mp4"
    );
    let webm_as_mkv = renamed_copy(Fixture::WebmVp9Opus, dir.path(), "clip.mkv");
    assert_eq!(
        probe(&tools(), &webm_as_mkv).await.expect("webm").container,
        "webm"
    );
    let png_as_mp4 = renamed_copy(Fixture::Png, dir.path(), "video.mp4");
    assert!(unsupported(&png_as_mp4)
        .await
        .starts_with("This is an image (PNG)"));
    // A name that looks like an ffmpeg option or protocol is still just a file.
    let odd = renamed_copy(Fixture::WavAudio, dir.path(), "-i http:x.wav");
    assert_eq!(
        probe(&tools(), &odd).await.expect("odd name").container,
        "wav"
    );
}

#[tokio::test]
async fn a_recording_without_a_duration_in_its_header_is_measured() {
    let source = fixture(Fixture::WebmStreamed);
    let header = common::media::audio_facts(&source);
    assert_eq!(
        header.duration, 0.0,
        "the fixture must lack a header duration to test this"
    );
    let p = probe(&tools(), &source).await.expect("streamed webm");
    assert_eq!(p.container, "webm");
    assert!(
        (p.duration - SECONDS).abs() <= 0.1,
        "measured {} s",
        p.duration
    );
    // …so a range relative to the end still works.
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = v2a_wording::ExtractionSpec {
        range: Some(v2a_wording::TimeRange {
            start: v2a_wording::TimePoint::End(1000),
            end: None,
        }),
        ..Default::default()
    };
    let out = common::extract::extract_probed(&tools(), &source, &p, &spec, &dir.path().join("o"))
        .await
        .expect("extract the last second");
    assert_eq!(out.extension, "opus");
    let heard = common::media::listen(&out.path);
    assert!((heard.duration - 1.0).abs() <= 0.05, "{heard:?}");
    common::media::assert_heard_tone(&out.path, heard, 330.0);
}
