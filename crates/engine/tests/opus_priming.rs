//! Opus's priming (OpusHead pre-skip, Matroska's CodecDelay) is dropped once: a re-encode of a
//! WebM's Opus sound lines up with ffmpeg's decode of it, sample for sample.

#[path = "common/media.rs"]
mod media;

use media::{run, Corpus};
use v2a_protocol::{ExtractionSpec, OutputFormat, TimePoint, TimeRange};

/// The s16 samples of `path`'s first audio stream as ffmpeg decodes it, mono.
fn pcm(path: &std::path::Path) -> Vec<i16> {
    let out = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-ac", "1", "-f", "s16le", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    out.stdout
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect()
}

/// The lag (in samples, of ±400) at which `b` best matches `a`.
fn lag(a: &[i16], b: &[i16]) -> i64 {
    (-400i64..=400)
        .max_by_key(|l| {
            (4_800..a.len().min(b.len()).saturating_sub(4_800))
                .map(|i| {
                    let j = i as i64 + l;
                    i64::from(a[i]) * i64::from(*b.get(j as usize).unwrap_or(&0))
                })
                .sum::<i64>()
        })
        .unwrap()
}

#[test]
fn webm_opus_reencoded_lines_up_with_ffmpegs_decode() {
    let c = Corpus::new();
    // A chirp: any shift shows in the correlation.
    let input = c.make(
        "chirp.webm",
        &[
            "-f",
            "lavfi",
            "-i",
            "aevalsrc=0.3*sin(2*PI*(200+400*t)*t):s=48000:d=3",
            "-c:a",
            "libopus",
        ],
    );
    for trim in [None, Some((0.5, 2.5))] {
        let spec = ExtractionSpec {
            format: Some(OutputFormat::Wav),
            range: trim.map(|(s, e)| TimeRange {
                start: TimePoint::Start((s * 1000.0) as u64),
                end: Some(TimePoint::Start((e * 1000.0) as u64)),
            }),
            ..ExtractionSpec::default()
        };
        let r = run(&input, &spec);
        let out = c.write("chirp.wav", &r.bytes);
        let ours = pcm(&out);
        // ffmpeg's whole decode (its pre-skip applied once), cut at the same samples.
        let whole = pcm(&input);
        let theirs = match trim {
            Some((s, e)) => whole[(s * 48_000.0) as usize..(e * 48_000.0) as usize].to_vec(),
            None => whole,
        };
        // A cut is placed by the first kept block's timestamp, which Matroska rounds to the
        // millisecond: within one tick (48 samples), not 6.5 ms off.
        let lag = lag(&theirs, &ours);
        assert!(lag.abs() <= 48, "{trim:?}: {lag} samples off");
        // ffmpeg also reads the last block's DiscardPadding, which the engine does not: the
        // segment's duration (whole milliseconds) ends the output, within 2 ms of it.
        let diff = ours.len() as i64 - theirs.len() as i64;
        assert!(
            diff.abs() <= 96,
            "{trim:?}: {} vs {} samples",
            ours.len(),
            theirs.len()
        );
    }
}
