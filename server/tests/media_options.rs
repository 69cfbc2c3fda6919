//! What a request can ask for beyond the format: a track, a time range, channels, a sample
//! rate, a bitrate, loudness; and what the user sees meanwhile (progress).

mod common;

use std::sync::Mutex;

use common::extract::{lavfi_audio, probe_and_extract};
use common::media::{
    assert_heard_tone, assert_tone, audio_facts, decoded_duration, fixture, integrated_loudness,
    listen, Fixture, TITLE,
};
use v2a_wording::{
    ExtractionSpec, Loudness, OutputFormat, Quality, TimePoint, TimeRange, TrackSelector,
};
use video_to_audio_server::media::{extract, probe, Output, Tools};

async fn run(input: Fixture, spec: ExtractionSpec) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = probe_and_extract(&fixture(input), &spec, &dir.path().join("out"))
        .await
        .unwrap_or_else(|e| panic!("{input:?} {spec:?}: {e}"));
    (out, dir)
}

fn mp3() -> ExtractionSpec {
    ExtractionSpec {
        format: Some(OutputFormat::Mp3),
        ..ExtractionSpec::default()
    }
}

#[tokio::test]
async fn second_track_by_position_and_by_language() {
    for track in [
        TrackSelector::Position(2),
        TrackSelector::Language("spa".into()),
        TrackSelector::Language("Spanish".into()),
    ] {
        let (out, _dir) = run(
            Fixture::MovTwoTracks,
            ExtractionSpec {
                track: track.clone(),
                ..mp3()
            },
        )
        .await;
        assert_tone(&out.path, 880.0);
    }
    let (out, _dir) = run(
        Fixture::MovTwoTracks,
        ExtractionSpec {
            track: TrackSelector::Language("en".into()),
            ..mp3()
        },
    )
    .await;
    assert_tone(&out.path, 440.0);
    // Copy of the second track, format not said.
    let spec = ExtractionSpec {
        track: TrackSelector::Position(2),
        ..ExtractionSpec::default()
    };
    let (out, _dir) = run(Fixture::MovTwoTracks, spec).await;
    assert_eq!((out.extension.as_str(), out.codec.as_str()), ("m4a", "aac"));
    assert_tone(&out.path, 880.0);
}

fn range(start: TimePoint, end: Option<TimePoint>) -> Option<TimeRange> {
    Some(TimeRange { start, end })
}

// The Mp4Steps tone steps 300 → 600 → 900 Hz each second, so the tone tells which second was
// taken. One test per range so the three run in parallel.

#[tokio::test]
async fn the_first_second_is_the_300_hz_one() {
    range_in_every_encoding(
        range(TimePoint::Start(0), Some(TimePoint::Start(1000))),
        300.0,
    )
    .await;
}

#[tokio::test]
async fn one_to_two_seconds_is_the_600_hz_one() {
    range_in_every_encoding(middle_second(), 600.0).await;
}

#[tokio::test]
async fn the_last_second_is_the_900_hz_one() {
    range_in_every_encoding(last_second(), 900.0).await;
}

fn middle_second() -> Option<TimeRange> {
    range(TimePoint::Start(1000), Some(TimePoint::Start(2000)))
}

fn last_second() -> Option<TimeRange> {
    range(TimePoint::End(1000), None)
}

async fn range_in_every_encoding(range: Option<TimeRange>, tone: f64) {
    for format in [
        Some(OutputFormat::Mp3),
        Some(OutputFormat::Wav),
        Some(OutputFormat::Opus),
        None,
    ] {
        let spec = ExtractionSpec {
            format,
            range,
            ..ExtractionSpec::default()
        };
        let (out, _dir) = run(Fixture::Mp4Steps, spec).await;
        // Re-encodes cut exactly (within an audio frame); a stream copy cuts at packets.
        let slack = if format.is_none() { 0.05 } else { 0.03 };
        let heard = listen(&out.path);
        assert!(
            (heard.duration - 1.0).abs() <= slack,
            "{range:?} {format:?}: {} s",
            heard.duration
        );
        assert!(
            (out.duration - 1.0).abs() <= 0.05,
            "{range:?} {format:?}: reported {} s",
            out.duration
        );
        assert_heard_tone(&out.path, heard, tone);
    }
}

/// Opus copied out of WebM, and Vorbis out of MKV: Ogg cannot take the packets before the
/// start, so a copied cut must still be playable. (The MP3-in-AVI fixture's video runs 0.1 s
/// past its audio, so its last second is shorter.)
async fn copied_and_encoded_cuts_of(inputs: [Fixture; 2]) {
    for input in inputs {
        for (range, format) in [
            (middle_second(), None),
            (last_second(), None),
            (last_second(), Some(OutputFormat::Mp3)),
        ] {
            let spec = ExtractionSpec {
                format,
                range,
                ..ExtractionSpec::default()
            };
            let (out, _dir) = run(input, spec).await;
            let heard = listen(&out.path);
            assert!(
                (heard.duration - 1.0).abs() <= 0.05,
                "{input:?} {range:?} {format:?}: {heard:?}"
            );
            assert_heard_tone(&out.path, heard, input.tone());
        }
    }
}

#[tokio::test]
async fn cuts_of_opus_in_webm_and_vorbis_in_mkv() {
    copied_and_encoded_cuts_of([Fixture::WebmVp9Opus, Fixture::MkvVorbis]).await;
}

#[tokio::test]
async fn cuts_of_pcm_in_avi_and_flac_in_mkv() {
    copied_and_encoded_cuts_of([Fixture::AviPcm, Fixture::MkvFlac]).await;
}

#[tokio::test]
async fn mono_and_stereo() {
    let (out, _dir) = run(
        Fixture::Mp4H264Aac,
        ExtractionSpec {
            channels: Some(1),
            ..mp3()
        },
    )
    .await;
    assert_eq!(audio_facts(&out.path).channels, 1);
    assert_tone(&out.path, 440.0);
    // Stereo from a stereo source changes nothing, so the AAC is copied.
    let spec = ExtractionSpec {
        channels: Some(2),
        ..ExtractionSpec::default()
    };
    let (out, _dir) = run(Fixture::Mp4H264Aac, spec).await;
    assert_eq!(
        (audio_facts(&out.path).channels, out.extension.as_str()),
        (2, "m4a")
    );
    // "Voice" means mono unless channels are said.
    let (out, _dir) = run(
        Fixture::MkvFlac,
        ExtractionSpec {
            quality: Quality::Voice,
            ..mp3()
        },
    )
    .await;
    assert_eq!(audio_facts(&out.path).channels, 1);
}

#[tokio::test]
async fn sample_rate_44_1_khz() {
    for format in [
        OutputFormat::Mp3,
        OutputFormat::M4a,
        OutputFormat::Flac,
        OutputFormat::Wav,
    ] {
        let spec = ExtractionSpec {
            format: Some(format),
            sample_rate: Some(44_100),
            ..ExtractionSpec::default()
        };
        let (out, _dir) = run(Fixture::Mp4H264Aac, spec).await;
        let facts = audio_facts(&out.path);
        assert_eq!(facts.sample_rate, 44_100, "{format:?}");
        let heard = decoded_duration(&out.path);
        assert!((heard - 3.0).abs() <= 0.05, "{format:?}: {heard} s");
        assert_tone(&out.path, 440.0);
    }
}

#[tokio::test]
async fn constant_bitrate_when_asked() {
    for (format, kbps) in [
        (OutputFormat::Mp3, 192),
        (OutputFormat::Mp3, 128),
        (OutputFormat::M4a, 96),
    ] {
        let spec = ExtractionSpec {
            format: Some(format),
            quality: Quality::Bitrate(kbps),
            ..ExtractionSpec::default()
        };
        let (out, _dir) = run(Fixture::MkvFlac, spec).await;
        let facts = audio_facts(&out.path);
        let bit_rate = facts.bit_rate.expect("ffprobe reports a bit rate") as f64 / 1000.0;
        let wanted = f64::from(kbps);
        // AAC is average bitrate and a 3 s file carries container overhead: allow some slack.
        let slack = if format == OutputFormat::Mp3 {
            0.05
        } else {
            0.2
        };
        assert!(
            (bit_rate - wanted).abs() <= wanted * slack,
            "{format:?} {kbps}k: {bit_rate} kbit/s"
        );
    }
}

#[tokio::test]
async fn loudness_normalised_to_podcast_level_with_progress() {
    let before = integrated_loudness(&fixture(Fixture::Mp4H264Aac));
    assert!(
        (before + 16.0).abs() > 2.0,
        "the fixture must start away from -16 LUFS ({before})"
    );
    let tools = Tools::default();
    let source = fixture(Fixture::Mp4H264Aac);
    let probed = probe(&tools, &source).await.expect("probe");
    let dir = tempfile::tempdir().expect("tempdir");
    let seen: Mutex<Vec<(f64, &'static str)>> = Mutex::new(Vec::new());
    let spec = ExtractionSpec {
        loudness: Some(Loudness::PODCAST),
        ..mp3()
    };
    let out = extract(
        &tools,
        &source,
        &probed,
        &spec,
        &dir.path().join("loud"),
        &|f, stage| {
            seen.lock().expect("not poisoned").push((f, stage));
        },
    )
    .await
    .expect("extract with loudnorm");
    let lufs = integrated_loudness(&out.path);
    assert!(
        (lufs + 16.0).abs() <= 1.0,
        "integrated loudness {lufs} LUFS"
    );
    let facts = audio_facts(&out.path);
    assert_eq!(
        facts.sample_rate, 48_000,
        "normalising keeps the source's sample rate"
    );
    assert_eq!(facts.tag("title"), Some(TITLE));
    assert_tone(&out.path, 440.0);

    let seen = seen.into_inner().expect("not poisoned");
    assert!(
        seen.windows(2).all(|w| w[1].0 >= w[0].0),
        "progress goes forward: {seen:?}"
    );
    assert!(seen.iter().all(|(f, _)| (0.0..=1.0).contains(f)));
    let analyzing: Vec<f64> = seen
        .iter()
        .filter(|(_, s)| *s == "analyzing")
        .map(|(f, _)| *f)
        .collect();
    let normalizing: Vec<f64> = seen
        .iter()
        .filter(|(_, s)| *s == "normalizing")
        .map(|(f, _)| *f)
        .collect();
    assert!(
        !analyzing.is_empty() && analyzing.iter().all(|f| *f <= 0.5),
        "{seen:?}"
    );
    assert!(
        !normalizing.is_empty() && normalizing.iter().all(|f| *f >= 0.5),
        "{seen:?}"
    );
    assert_eq!(seen.last().copied(), Some((1.0, "normalizing")));
}

#[tokio::test]
async fn loudness_is_reached_after_mixing_a_one_sided_recording_down_to_mono() {
    // A voice on the left channel only (one microphone, stereo file): the mono mix holds it at
    // 3 dB less, so normalising must measure what is written, not the stereo input.
    let dir = tempfile::tempdir().expect("tempdir");
    let source = dir.path().join("left-only.m4a");
    lavfi_audio(
        &source,
        "aevalsrc=0.1*sin(2*PI*440*t)|0:s=48000:d=4",
        &["-c:a", "aac"],
    );
    let spec = ExtractionSpec {
        loudness: Some(Loudness::PODCAST),
        channels: Some(1),
        ..mp3()
    };
    let out = probe_and_extract(&source, &spec, &dir.path().join("out"))
        .await
        .expect("extract to mono with loudness");
    assert_eq!(audio_facts(&out.path).channels, 1);
    let lufs = integrated_loudness(&out.path);
    assert!(
        (lufs + 16.0).abs() <= 1.0,
        "integrated loudness {lufs} LUFS"
    );
}

/// True peak (dBTP) measured by ffmpeg's ebur128 filter, independently of the server's code.
fn true_peak(path: &std::path::Path) -> f64 {
    let out = std::process::Command::new("ffmpeg")
        .args(["-nostdin", "-hide_banner", "-i"])
        .arg(path)
        .args([
            "-vn",
            "-af",
            "aformat=sample_fmts=dbl|flt,ebur128=peak=true:framelog=verbose",
            "-f",
            "null",
            "-",
        ])
        .output()
        .expect("ffmpeg runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr
        .rsplit("True peak:")
        .next()
        .and_then(|s| s.split("Peak:").nth(1))
        .and_then(|s| s.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no true peak for {path:?} in: {stderr}"))
}

#[tokio::test]
async fn loud_peaks_over_a_quiet_average_are_limited_to_the_ceiling() {
    // A quiet 440 Hz tone with a near full-scale click every second: lifting it to -16 LUFS
    // with gain alone would put the clicks some 12 dB over the -1 dBTP ceiling.
    let dir = tempfile::tempdir().expect("tempdir");
    let source = dir.path().join("clicks.m4a");
    lavfi_audio(
        &source,
        "aevalsrc='0.05*sin(2*PI*440*t)+if(lt(mod(t\\,1)\\,0.0005)\\,0.95\\,0)':s=48000:d=6",
        &["-ac", "2", "-c:a", "aac", "-b:a", "160k"],
    );
    let (before, peak_before) = (integrated_loudness(&source), true_peak(&source));
    assert!(
        peak_before + (-16.0 - before) > 5.0,
        "the fixture must need limiting ({before} LUFS, {peak_before} dBTP)"
    );

    let spec = ExtractionSpec {
        loudness: Some(Loudness::PODCAST),
        ..mp3()
    };
    let out = probe_and_extract(&source, &spec, &dir.path().join("out"))
        .await
        .expect("extract with a limiter");
    let lufs = integrated_loudness(&out.path);
    assert!(
        (lufs + 16.0).abs() <= 1.0,
        "integrated loudness {lufs} LUFS"
    );
    let peak = true_peak(&out.path);
    assert!(
        peak <= -1.0 + 0.5,
        "true peak {peak} dBTP over the -1 dBTP ceiling"
    );
    assert_tone(&out.path, 440.0);
}

#[tokio::test]
async fn plain_extraction_reports_progress_to_the_end() {
    let tools = Tools::default();
    let source = fixture(Fixture::WebmVp9Opus);
    let probed = probe(&tools, &source).await.expect("probe");
    let dir = tempfile::tempdir().expect("tempdir");
    let seen: Mutex<Vec<(f64, &'static str)>> = Mutex::new(Vec::new());
    extract(
        &tools,
        &source,
        &probed,
        &mp3(),
        &dir.path().join("p"),
        &|f, stage| {
            seen.lock().expect("not poisoned").push((f, stage));
        },
    )
    .await
    .expect("extract");
    let seen = seen.into_inner().expect("not poisoned");
    assert_eq!(seen.first().copied(), Some((0.0, "extracting")));
    assert_eq!(seen.last().copied(), Some((1.0, "extracting")));
    assert!(seen.windows(2).all(|w| w[1].0 >= w[0].0), "{seen:?}");
}

#[tokio::test]
async fn tags_are_kept_in_every_container() {
    for format in [
        OutputFormat::Mp3,
        OutputFormat::M4a,
        OutputFormat::Ogg,
        OutputFormat::Opus,
        OutputFormat::Flac,
        OutputFormat::Wav,
    ] {
        let spec = ExtractionSpec {
            format: Some(format),
            ..ExtractionSpec::default()
        };
        let (out, _dir) = run(Fixture::Mp3Audio, spec).await;
        assert_eq!(
            audio_facts(&out.path).tag("title"),
            Some(TITLE),
            "{format:?}"
        );
    }
}
