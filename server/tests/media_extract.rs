//! The extraction matrix: every input container × every output format, through real ffmpeg.
//! Each output is checked the way a user would: ffprobe's codec, channels, rate and length,
//! the title tag, and the tone it carries (so the audio really is the input's).

mod common;

use common::extract::{extract_probed, probe_and_extract};
use common::media::{
    assert_heard_tone, assert_tone, audio_facts, files_in, fixture, listen, Fixture, SECONDS, TITLE,
};
use v2a_wording::{ExtractionSpec, OutputFormat};
use video_to_audio_server::media::{plan, probe, Tools};

/// Every output choice that is extracted. "Format not said" (`None`) is covered by
/// [`unsaid_is_planned_like`]: `extract` depends on the spec only through its plan, so an equal
/// plan is the same ffmpeg run, and running it a second time would only cost time.
const OUTPUTS: [Option<OutputFormat>; 7] = [
    Some(OutputFormat::Mp3),
    Some(OutputFormat::M4a),
    Some(OutputFormat::Wav),
    Some(OutputFormat::Flac),
    Some(OutputFormat::Ogg),
    Some(OutputFormat::Opus),
    Some(OutputFormat::Original),
];

/// The extracted choice whose plan "format not said" must equal: the original codec copied,
/// except AC-3 (no audio-only container of its own), which becomes MP3.
fn unsaid_is_planned_like(input: Fixture) -> OutputFormat {
    if input.codec() == "ac3" {
        OutputFormat::Mp3
    } else {
        OutputFormat::Original
    }
}

/// (extension, codec) a format must produce from `input`.
fn expected(input: Fixture, format: Option<OutputFormat>) -> (&'static str, &'static str) {
    match format {
        Some(OutputFormat::Mp3) => ("mp3", "mp3"),
        Some(OutputFormat::M4a) => ("m4a", "aac"),
        Some(OutputFormat::Wav) => ("wav", "pcm_s16le"),
        Some(OutputFormat::Flac) => ("flac", "flac"),
        Some(OutputFormat::Ogg) => ("ogg", "vorbis"),
        Some(OutputFormat::Opus) => ("opus", "opus"),
        Some(OutputFormat::Original) | None => match input.codec() {
            "aac" => ("m4a", "aac"),
            "mp3" => ("mp3", "mp3"),
            "pcm_s16le" => ("wav", "pcm_s16le"),
            "opus" => ("opus", "opus"),
            "vorbis" => ("ogg", "vorbis"),
            "flac" => ("flac", "flac"),
            // No audio-only container of its own: raw AC-3 when "original", else MP3.
            "ac3" if format.is_some() => ("ac3", "ac3"),
            "ac3" => ("mp3", "mp3"),
            other => panic!("no expectation for {other}"),
        },
    }
}

async fn matrix(input: Fixture) {
    let tools = Tools::default();
    let source = fixture(input);
    let probed = probe(&tools, &source).await.expect("probe the fixture");
    let dir = tempfile::tempdir().expect("tempdir");
    let unsaid = plan(&probed, &ExtractionSpec::default()).expect("plan with no format");
    let like = Some(unsaid_is_planned_like(input));
    assert_eq!(
        unsaid,
        plan(
            &probed,
            &ExtractionSpec {
                format: like,
                ..ExtractionSpec::default()
            }
        )
        .expect("plan"),
        "{input:?}: no format said must be planned (and so extracted) like {like:?}"
    );
    assert_eq!(
        (unsaid.extension, expected(input, None).0),
        (expected(input, like).0, expected(input, like).0),
        "{input:?}: no format said"
    );
    for format in OUTPUTS {
        let what = format!("{input:?} → {format:?}");
        let spec = ExtractionSpec {
            format,
            ..ExtractionSpec::default()
        };
        let planned = plan(&probed, &spec).expect("plan");
        let stem = dir.path().join(format!(
            "out-{}",
            format.map_or("unsaid", OutputFormat::extension)
        ));
        let out = extract_probed(&tools, &source, &probed, &spec, &stem)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));

        let (ext, codec) = expected(input, format);
        assert_eq!(out.extension, ext, "{what}");
        assert_eq!(planned.extension, ext, "{what}: the plan told the same");
        assert_eq!(out.path, stem.with_extension(ext), "{what}");
        assert_eq!(
            out.size,
            std::fs::metadata(&out.path).expect("output exists").len(),
            "{what}"
        );
        let facts = audio_facts(&out.path);
        assert_eq!(facts.codec, codec, "{what}");
        assert_eq!(out.codec, codec, "{what}");
        assert_eq!(
            facts.video_streams, 0,
            "{what}: no picture in the audio file"
        );
        assert_eq!(facts.audio_streams, 1, "{what}");
        assert_eq!(facts.channels, 2, "{what}");
        let rate = if codec == "opus" {
            48_000
        } else {
            input.sample_rate()
        };
        assert_eq!(facts.sample_rate, rate, "{what}");
        assert!(
            (facts.duration - SECONDS).abs() <= 0.05,
            "{what}: {} s",
            facts.duration
        );
        let heard = listen(&out.path);
        assert!(
            (heard.duration - SECONDS).abs() <= 0.05,
            "{what}: {heard:?}"
        );
        assert!(
            (out.duration - heard.duration).abs() <= 0.03,
            "{what}: reported {} s, {heard:?}",
            out.duration
        );
        if ext != "ac3" {
            // A raw AC-3 stream has nowhere to keep tags; every other container does.
            assert_eq!(
                facts.tag("title"),
                Some(TITLE),
                "{what}: tags {:?}",
                facts.tags
            );
        }
        assert_heard_tone(&out.path, heard, input.tone());
    }
    let left: Vec<String> = files_in(dir.path())
        .into_iter()
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

#[tokio::test]
async fn mp4_h264_aac() {
    matrix(Fixture::Mp4H264Aac).await;
}

#[tokio::test]
async fn mov_two_tracks_first_by_default() {
    matrix(Fixture::MovTwoTracks).await;
}

#[tokio::test]
async fn avi_mp3() {
    matrix(Fixture::AviMp3).await;
}

#[tokio::test]
async fn avi_pcm() {
    matrix(Fixture::AviPcm).await;
}

#[tokio::test]
async fn webm_vp9_opus() {
    matrix(Fixture::WebmVp9Opus).await;
}

#[tokio::test]
async fn mkv_vorbis() {
    matrix(Fixture::MkvVorbis).await;
}

#[tokio::test]
async fn mkv_flac() {
    matrix(Fixture::MkvFlac).await;
}

#[tokio::test]
async fn mkv_ac3() {
    matrix(Fixture::MkvAc3).await;
}

#[tokio::test]
async fn audio_uploads_keep_their_format_when_none_is_said() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (input, ext) in [
        (Fixture::Mp3Audio, "mp3"),
        (Fixture::WavAudio, "wav"),
        (Fixture::M4aAudio, "m4a"),
        (Fixture::AacAdts, "m4a"),
    ] {
        let source = fixture(input);
        let stem = dir.path().join(format!("{input:?}"));
        let out = probe_and_extract(&source, &ExtractionSpec::default(), &stem)
            .await
            .expect("extract");
        assert_eq!(out.extension, ext, "{input:?}");
        assert_eq!(
            audio_facts(&out.path).codec,
            input.codec(),
            "{input:?}: copied, not re-encoded"
        );
        assert_tone(&out.path, input.tone());
    }
}
