//! Everything that can go wrong during an extraction ends in one sentence for a person, and
//! never leaves a partial file or a running ffmpeg behind.

mod common;

use std::time::{Duration, Instant};

use common::extract::{extract_probed, extraction_error, lavfi_audio, probe_and_extract};
use common::media::{assert_left_nothing, fixture, renamed_copy, Fixture};
use v2a_protocol::text::{say, Key};
use v2a_protocol::Lang;
use v2a_wording::{ExtractionSpec, OutputFormat, TimePoint, TimeRange, TrackSelector};
use video_to_audio_server::media::{probe, MediaError, Tools};

#[tokio::test]
async fn a_video_without_sound_has_nothing_to_extract() {
    let e = extraction_error(Fixture::Mp4NoAudio, &ExtractionSpec::default()).await;
    assert!(matches!(e, MediaError::NoAudio), "{e:?}");
    assert_eq!(e.say(Lang::Zh), say(Lang::Zh, Key::MediaNoAudio, &[]));
}

#[tokio::test]
async fn a_track_that_is_not_there() {
    let spec = ExtractionSpec {
        track: TrackSelector::Position(3),
        ..ExtractionSpec::default()
    };
    let e = extraction_error(Fixture::MovTwoTracks, &spec).await;
    assert!(matches!(e, MediaError::NoSuchTrack(_)), "{e:?}");
    assert_eq!(
        e.say(Lang::Zh),
        say(
            Lang::Zh,
            Key::MediaNoTrackNumber,
            &[("n", "3"), ("count", "2")]
        )
    );
    let spec = ExtractionSpec {
        track: TrackSelector::Language("jpn".into()),
        ..ExtractionSpec::default()
    };
    let e = extraction_error(Fixture::MovTwoTracks, &spec).await;
    assert_eq!(
        e.say(Lang::Zh),
        say(
            Lang::Zh,
            Key::MediaNoTrackLanguage,
            &[("wanted", "jpn"), ("list", "1 eng, 2 spa")]
        )
    );
}

#[tokio::test]
async fn a_range_beyond_the_end() {
    let range = TimeRange {
        start: TimePoint::Start(5_000),
        end: Some(TimePoint::Start(9_000)),
    };
    let spec = ExtractionSpec {
        range: Some(range),
        format: Some(OutputFormat::Mp3),
        ..ExtractionSpec::default()
    };
    let e = extraction_error(Fixture::WavAudio, &spec).await;
    assert!(matches!(e, MediaError::EmptyRange(_)), "{e:?}");
    assert_eq!(
        e.to_string(),
        "The time range starts at 0:05, but this file is only 0:03 long; pick a range inside 0:00–0:03."
    );
    assert_eq!(
        e.say(Lang::Zh),
        say(
            Lang::Zh,
            Key::MediaRangePastEnd,
            &[("start", "0:05"), ("length", "0:03")]
        )
    );
}

#[tokio::test]
async fn a_file_damaged_after_upload_fails_in_one_sentence_and_leaves_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = renamed_copy(Fixture::Mp4H264Aac, dir.path(), "upload.mp4");
    let tools = Tools::default();
    let probed = probe(&tools, &input).await.expect("probe while intact");
    // Cut the file after probing: ffmpeg now meets a file without its index.
    let bytes = std::fs::read(&input).expect("read");
    std::fs::write(&input, &bytes[..bytes.len() * 3 / 10]).expect("truncate");
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).expect("mkdir");
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Mp3),
        ..ExtractionSpec::default()
    };
    let e = extract_probed(&tools, &input, &probed, &spec, &out_dir.join("o"))
        .await
        .expect_err("damaged");
    assert!(matches!(e, MediaError::Failed(_)), "{e:?}");
    assert_eq!(
        e.to_string(),
        "ffmpeg could not read the audio in this file: it looks damaged or incomplete; upload the complete file again."
    );
    assert_left_nothing(&out_dir);
}

#[tokio::test]
async fn an_unwritable_destination_and_a_vanished_upload() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = probe_and_extract(
        &fixture(Fixture::WavAudio),
        &ExtractionSpec::default(),
        &dir.path().join("missing/dir/o"),
    )
    .await
    .expect_err("no such directory");
    assert_eq!(
        e.to_string(),
        "The server could not write the audio file; try again later."
    );

    let input = renamed_copy(Fixture::WavAudio, dir.path(), "gone.wav");
    let tools = Tools::default();
    let probed = probe(&tools, &input).await.expect("probe");
    std::fs::remove_file(&input).expect("remove");
    let e = extract_probed(
        &tools,
        &input,
        &probed,
        &ExtractionSpec::default(),
        &dir.path().join("o"),
    )
    .await
    .expect_err("input gone");
    assert_eq!(
        e.to_string(),
        "The uploaded file is no longer on the server; upload it again."
    );
}

/// Processes whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("Linux /proc").flatten() {
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            if cmdline.contains(needle) {
                found.push(cmdline);
            }
        }
    }
    found
}

#[tokio::test]
async fn dropping_the_extraction_kills_ffmpeg_and_removes_the_partial_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = fixture(Fixture::LongWav);
    let tools = Tools::default();
    let probed = probe(&tools, &source).await.expect("probe");
    let stem = dir.path().join("cancelled");
    let part = dir.path().join("cancelled.mp3.part");
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Mp3),
        ..ExtractionSpec::default()
    };
    let mut job = Box::pin(extract_probed(&tools, &source, &probed, &spec, &stem));
    let deadline = Instant::now() + Duration::from_secs(10);
    while !part.exists() {
        assert!(Instant::now() < deadline, "ffmpeg never started writing");
        tokio::select! {
            result = &mut job => panic!("two minutes of audio finished before it could be cancelled: {result:?}"),
            _ = tokio::time::sleep(Duration::from_millis(10)) => {}
        }
    }
    let needle = part.to_string_lossy().into_owned();
    assert!(
        !processes_mentioning(&needle).is_empty(),
        "ffmpeg is running"
    );
    drop(job);
    assert!(!part.exists(), "the partial file is removed at once");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !processes_mentioning(&needle).is_empty() {
        assert!(
            Instant::now() < deadline,
            "ffmpeg still running: {:?}",
            processes_mentioning(&needle)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_left_nothing(dir.path());
}

#[tokio::test]
async fn a_copy_whose_packets_do_not_decode_is_not_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("upload.m4a");
    lavfi_audio(
        &input,
        "sine=frequency=440:duration=4",
        &["-c:a", "aac", "-movflags", "+faststart"],
    );
    let tools = Tools::default();
    let probed = probe(&tools, &input).await.expect("probe while intact");
    // Noise over the middle of the packets: the index still describes every packet, so a copy
    // goes through; only decoding them finds out.
    let mut bytes = std::fs::read(&input).expect("read");
    let middle = bytes.len() / 2;
    let noise = common::media::noise(4000, 7);
    bytes[middle..middle + noise.len()].copy_from_slice(&noise);
    std::fs::write(&input, &bytes).expect("write");
    let spec = ExtractionSpec {
        format: Some(OutputFormat::M4a),
        ..ExtractionSpec::default()
    };
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).expect("mkdir");
    let e = extract_probed(&tools, &input, &probed, &spec, &out_dir.join("o"))
        .await
        .expect_err("undecodable packets");
    assert_eq!(
        e.to_string(),
        "ffmpeg wrote audio that does not play back, so it was not kept; try another format, such as MP3."
    );
    assert_left_nothing(&out_dir);
    // Re-encoding, as the sentence says, gets the sound out.
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Mp3),
        ..ExtractionSpec::default()
    };
    let out = extract_probed(&tools, &input, &probed, &spec, &out_dir.join("o"))
        .await
        .expect("re-encoded");
    assert!(out.duration > 3.0, "{out:?}");
}
