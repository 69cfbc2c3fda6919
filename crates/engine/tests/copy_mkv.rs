//! Matroska and WebM in, copies out: Opus → .opus, Vorbis → .ogg, AAC → .m4a, FLAC → .flac,
//! each checked with ffprobe/ffmpeg and compared packet for packet with the source.

#[path = "common/media.rs"]
mod media;

use std::path::{Path, PathBuf};

use media::{args, check_output, packets, run, tone, video, Corpus};
use v2a_protocol::ExtractionSpec;

fn make(c: &Corpus, name: &str, vcodec: &str, acodec: &[&str], hz: u32) -> PathBuf {
    let a = args(
        &[&video(3), &tone(hz, 3, 48_000, 2)],
        &["-shortest", "-c:v", vcodec],
    );
    let mut all: Vec<&str> = a.iter().map(String::as_str).collect();
    all.extend_from_slice(acodec);
    c.make(name, &all)
}

/// Copies `input`'s sound and checks the result; returns the output's path.
fn copy(c: &Corpus, input: &Path, ext: &str, codec: &str, hz: f64) -> PathBuf {
    let r = run(input, &ExtractionSpec::default());
    assert!(r.outcome.copied, "copied");
    assert_eq!(r.outcome.extension, ext);
    let out = c.write(
        &format!("{}.{ext}", input.file_name().unwrap().to_string_lossy()),
        &r.bytes,
    );
    let src_duration = media::reference_seconds(input, 0, &out);
    // Within one frame (Opus: 20 ms).
    check_output(&out, codec, src_duration, 0.025, hz);
    assert_eq!(
        packets(input, 0),
        packets(&out, 0),
        "packets are the source's"
    );
    out
}

#[test]
fn webm_with_opus_and_with_vorbis() {
    let c = Corpus::new();
    let opus = make(
        &c,
        "opus.webm",
        "libvpx",
        &[
            "-c:a",
            "libopus",
            "-b:v",
            "50k",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
        ],
        440,
    );
    copy(&c, &opus, "opus", "opus", 440.0);
    let vorbis = make(
        &c,
        "vorbis.webm",
        "libvpx",
        &[
            "-c:a",
            "libvorbis",
            "-b:v",
            "50k",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
        ],
        660,
    );
    copy(&c, &vorbis, "ogg", "vorbis", 660.0);
}

#[test]
fn mkv_with_aac_and_with_flac() {
    let c = Corpus::new();
    let aac = make(
        &c,
        "aac.mkv",
        "libx264",
        &["-c:a", "aac", "-preset", "ultrafast"],
        440,
    );
    copy(&c, &aac, "m4a", "aac", 440.0);
    let flac = make(
        &c,
        "flac.mkv",
        "libx264",
        &["-c:a", "flac", "-preset", "ultrafast"],
        550,
    );
    let r = run(&flac, &ExtractionSpec::default());
    let out = c.write("flac.flac", &r.bytes);
    // Within one frame (ffmpeg's FLAC frames are 4608 samples, 96 ms at 48 kHz).
    let reference = media::reference_seconds(&flac, 0, &out);
    check_output(&out, "flac", reference, 0.096, 550.0);
    assert_eq!(
        packets(&flac, 0),
        packets(&out, 0),
        "packets are the source's"
    );
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
