//! End to end through the Job (demuxer → Transcoder → sink): an MP4 with H.264 video and AAC
//! sound made into a trimmed, podcast-loud MP3, checked with ffprobe and ffmpeg's ebur128.

mod codec_support;

use codec_support::*;
use v2a_protocol::{ExtractionSpec, Loudness, OutputFormat, TimePoint, TimeRange};

#[test]
fn mp4_aac_to_a_trimmed_podcast_loud_mp3() {
    let dir = Dir::new("job");
    let input = dir.path("in.mp4");
    // A quiet 523 Hz tone with a little noise (about -33 LUFS), under a small video.
    mp4_with_sound(
        &input,
        5,
        "aevalsrc=0.03*sin(2*PI*523*t)+0.003*(2*random(0)-1):s=44100:d=5",
        &["-b:a", "128k"],
    );
    let spec = ExtractionSpec {
        format: Some(OutputFormat::Mp3),
        range: Some(TimeRange {
            start: TimePoint::Start(1_250),
            end: Some(TimePoint::Start(3_750)),
        }),
        loudness: Some(Loudness::PODCAST),
        ..Default::default()
    };
    let run = run_to_end(std::fs::read(&input).unwrap(), &spec);
    let outcome = run.outcome;
    assert!(!outcome.copied, "the engine does AAC → MP3 itself");
    assert_eq!(outcome.extension, "mp3");
    assert!(
        (outcome.duration - 2.5).abs() < 1e-3,
        "{}",
        outcome.duration
    );
    let out = dir.path("out.mp3");
    std::fs::write(&out, &run.bytes).unwrap();
    let p = probe(&out);
    assert_eq!(p["codec_name"], "mp3");
    let samples = decode_mono(&out);
    assert_eq!(samples.len(), 110_250, "exactly 2.5 s at 44.1 kHz");
    assert_eq!(dominant_hz(&samples, 44_100), 523.0);
    // Sample-exact start: at 1.25 s the 523 Hz sine is at its trough (653.75 cycles).
    let top = samples[..200].iter().fold(0f32, |m, v| m.max(v.abs()));
    assert!(samples[0] < -0.8 * top, "{} of {top}", samples[0]);
    let (i, tp) = loudness(&out);
    assert!((i - -16.0).abs() <= 1.0, "integrated {i} LUFS");
    assert!(tp <= -0.9, "true peak {tp} dBTP");
}

#[test]
fn webm_opus_and_mkv_vorbis_and_flac_decode_through_the_demuxers() {
    let dir = Dir::new("job-xiph");
    for (name, codec) in [
        ("in.webm", "libopus"),
        ("in.mkv", "libvorbis"),
        ("in2.mkv", "flac"),
    ] {
        let input = dir.path(name);
        ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            "sine=f=740:r=48000:d=3",
            "-c:a",
            codec,
            "-ac",
            "2",
            input.to_str().unwrap(),
        ]);
        let spec = ExtractionSpec {
            format: Some(OutputFormat::Wav),
            range: Some(TimeRange {
                start: TimePoint::Start(500),
                end: Some(TimePoint::Start(2_500)),
            }),
            ..Default::default()
        };
        let out = dir.path(&format!("{name}.wav"));
        let bytes = run_to_end(std::fs::read(&input).unwrap(), &spec).bytes;
        std::fs::write(&out, bytes).unwrap();
        let samples = decode_mono(&out);
        assert_eq!(samples.len(), 96_000, "{name}: exactly 2 s at 48 kHz");
        assert_eq!(dominant_hz(&samples, 48_000), 740.0, "{name}");
    }
}
