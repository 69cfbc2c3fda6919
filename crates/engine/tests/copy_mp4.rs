//! MP4 family in, copies out: faststart and moov-at-end MP4, fragmented MP4, MOV, M4V, AAC 5.1,
//! mono 8 kHz, a file cut short.

#[path = "common/media.rs"]
mod media;

use media::{args, check_output, packets, probe, run, tone, video, Corpus};
use v2a_protocol::ExtractionSpec;

fn make(c: &Corpus, name: &str, audio: &[String], extra: &[&str]) -> std::path::PathBuf {
    let a = args(
        &[&video(3), audio],
        &[
            "-shortest",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
        ],
    );
    let mut all: Vec<&str> = a.iter().map(String::as_str).collect();
    all.extend_from_slice(extra);
    c.make(name, &all)
}

fn copy_and_check(c: &Corpus, input: &std::path::Path, hz: f64) {
    let r = run(input, &ExtractionSpec::default());
    assert!(r.outcome.copied);
    assert_eq!(r.outcome.extension, "m4a");
    let out = c.write(
        &format!("{}.m4a", input.file_name().unwrap().to_string_lossy()),
        &r.bytes,
    );
    let (_, src_duration, _, _) = probe(input);
    check_output(&out, "aac", src_duration.min(3.0), 0.025, hz);
    assert_eq!(
        packets(input, 0),
        packets(&out, 0),
        "packets are the source's"
    );
    assert_eq!(r.outcome.size as usize, r.bytes.len());
}

#[test]
fn faststart_and_moov_at_end_mp4_copy_to_m4a() {
    let c = Corpus::new();
    let t = tone(440, 3, 48_000, 2);
    let fast = make(&c, "fast.mp4", &t, &["-movflags", "+faststart"]);
    copy_and_check(&c, &fast, 440.0);
    let end = make(&c, "end.mp4", &t, &[]);
    copy_and_check(&c, &end, 440.0);
}
