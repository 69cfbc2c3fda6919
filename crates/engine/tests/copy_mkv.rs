//! Matroska and WebM in, copies out: Opus → .opus, Vorbis → .ogg, AAC → .m4a, FLAC → .flac,
//! each checked with ffprobe/ffmpeg and compared packet for packet with the source.

#[path = "common/media.rs"]
mod media;

use std::path::PathBuf;

use media::{args, copy_checked, run, tone, video, Corpus, H264_FAST, VP8_FAST};
use v2a_protocol::ExtractionSpec;

fn make(c: &Corpus, name: &str, video_codec: &[&str], audio_codec: &str, hz: u32) -> PathBuf {
    let a = args(&[&video(3), &tone(hz, 3, 48_000, 2)], &["-shortest"]);
    let mut all: Vec<&str> = a.iter().map(String::as_str).collect();
    all.extend_from_slice(video_codec);
    all.extend_from_slice(&["-c:a", audio_codec]);
    c.make(name, &all)
}

#[test]
fn webm_with_opus_and_with_vorbis() {
    let c = Corpus::new();
    let opus = make(&c, "opus.webm", VP8_FAST, "libopus", 440);
    // Within one frame (Opus: 20 ms).
    copy_checked(&c, &opus, "opus", "opus", 0.025, 440.0);
    let vorbis = make(&c, "vorbis.webm", VP8_FAST, "libvorbis", 660);
    copy_checked(&c, &vorbis, "ogg", "vorbis", 0.025, 660.0);
}

#[test]
fn mkv_with_aac_and_with_flac() {
    let c = Corpus::new();
    let aac = make(&c, "aac.mkv", H264_FAST, "aac", 440);
    copy_checked(&c, &aac, "m4a", "aac", 0.025, 440.0);
    let flac = make(&c, "flac.mkv", H264_FAST, "flac", 550);
    // Within one frame (ffmpeg's FLAC frames are 4608 samples, 96 ms at 48 kHz).
    copy_checked(&c, &flac, "flac", "flac", 0.096, 550.0);
    // Matroska gives FLAC blocks no duration: their length comes from the frame headers, so
    // a re-encode reports progress every few seconds, as from any other source.
    let wav = ExtractionSpec {
        format: Some(v2a_protocol::OutputFormat::Wav),
        ..ExtractionSpec::default()
    };
    let r = run(&flac, &wav);
    assert!(r.steps >= 2, "progress on the way ({} steps)", r.steps);
    assert!((r.last.seconds_done - 3.0).abs() < 0.1, "{:?}", r.last);
}
