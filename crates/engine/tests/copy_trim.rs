//! Trims on a copy cut at packet boundaries, say so, and read only what they keep; ALAC and
//! AC-3 copies ("Original").

#[path = "common/media.rs"]
mod media;

use media::{args, check_output, packets, probe, run, tone, video, Corpus};
use v2a_protocol::{ExtractionSpec, OutputFormat, TimePoint, TimeRange};

fn trimmed(start_ms: u64, end_ms: u64) -> ExtractionSpec {
    ExtractionSpec {
        range: Some(TimeRange {
            start: TimePoint::Start(start_ms),
            end: Some(TimePoint::Start(end_ms)),
        }),
        ..ExtractionSpec::default()
    }
}

#[test]
fn a_trimmed_copy_cuts_at_packets_and_says_where() {
    let c = Corpus::new();
    for (name, vcodec, acodec, ext, codec) in [
        ("t.mp4", "mpeg4", "aac", "m4a", "aac"),
        ("t.webm", "libvpx", "libopus", "opus", "opus"),
        ("t.mkv", "mpeg4", "libvorbis", "ogg", "vorbis"),
        ("t.avi", "mpeg4", "libmp3lame", "mp3", "mp3"),
    ] {
        let a = args(
            &[&video(5), &tone(440, 5, 48_000, 2)],
            &[
                "-shortest",
                "-c:v",
                vcodec,
                "-c:a",
                acodec,
                "-cluster_time_limit",
                "500",
            ],
        );
        let all: Vec<&str> = a.iter().map(String::as_str).collect();
        let input = c.make(name, &all);
        let whole = run(&input, &ExtractionSpec::default());
        let r = run(&input, &trimmed(2_010, 3_020));
        assert!(r.outcome.copied, "{name}");
        let (start, end) = r.outcome.inexact_cut.expect("a copy's cut is at packets");
        assert!(start <= 2.01 && start > 1.8, "{name}: starts at {start}");
        assert!((3.02..3.2).contains(&end), "{name}: ends at {end}");
        let out = c.write(&format!("{name}.{ext}"), &r.bytes);
        check_output(&out, codec, end - start, 0.05, 440.0);
        assert!(
            r.last.bytes_read < whole.last.bytes_read * 3 / 4,
            "{name}: a trim reads less ({} of {})",
            r.last.bytes_read,
            whole.last.bytes_read
        );
    }
}

#[test]
fn alac_copies_to_m4a_and_ac3_stays_raw_with_original() {
    let c = Corpus::new();
    for name in ["alac.mov", "alac.mkv"] {
        let a = args(
            &[&video(2), &tone(440, 2, 44_100, 2)],
            &["-shortest", "-c:v", "mpeg4", "-c:a", "alac"],
        );
        let all: Vec<&str> = a.iter().map(String::as_str).collect();
        let input = c.make(name, &all);
        let r = run(&input, &ExtractionSpec::default());
        assert!(r.outcome.copied);
        assert_eq!(r.outcome.extension, "m4a");
        let out = c.write(&format!("{name}.m4a"), &r.bytes);
        check_output(&out, "alac", 2.0, 0.1, 440.0);
        assert_eq!(
            packets(&input, 0),
            packets(&out, 0),
            "{name}: packets are the source's"
        );
    }
    let a = args(
        &[&video(2), &tone(440, 2, 48_000, 2)],
        &["-shortest", "-c:v", "mpeg4", "-c:a", "ac3"],
    );
    let all: Vec<&str> = a.iter().map(String::as_str).collect();
    let input = c.make("ac3.mkv", &all);
    let original = ExtractionSpec {
        format: Some(OutputFormat::Original),
        ..ExtractionSpec::default()
    };
    let r = run(&input, &original);
    assert_eq!(r.outcome.extension, "ac3");
    let out = c.write("out.ac3", &r.bytes);
    let (codec, _, channels, _) = probe(&out);
    assert_eq!((codec.as_str(), channels), ("ac3", 2));
    assert_eq!(packets(&input, 0), packets(&out, 0));
}
