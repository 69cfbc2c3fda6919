//! Matroska as live streams write it: a Segment and Clusters of unknown size, each Cluster
//! ending where the next top-level element starts.

#[path = "common/media.rs"]
mod media;

use media::{args, check_output, packets, run, tone, video, Corpus};
use v2a_protocol::ExtractionSpec;

/// (value, length) of an EBML variable-length integer.
fn vint(b: &[u8]) -> (u64, usize) {
    let len = b[0].leading_zeros() as usize + 1;
    let mut v = u64::from(b[0]) & (0xFF >> len);
    for x in &b[1..len] {
        v = (v << 8) | u64::from(*x);
    }
    (v, len)
}

/// (id bytes, body) of the element at the start of `b`.
fn element(b: &[u8]) -> (&[u8], &[u8], usize) {
    let id_len = b[0].leading_zeros() as usize + 1;
    let (size, n) = vint(&b[id_len..]);
    let start = id_len + n;
    let end = start + size as usize;
    (&b[..id_len], &b[start..end], end)
}

const UNKNOWN: [u8; 8] = [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

/// The same file with the Segment's and every Cluster's size written as unknown.
fn unknown_sizes(file: &[u8]) -> Vec<u8> {
    let (_, _, header_end) = element(file);
    let mut out = file[..header_end].to_vec();
    let (segment_id, segment, _) = element(&file[header_end..]);
    out.extend_from_slice(segment_id);
    out.extend_from_slice(&UNKNOWN);
    let mut at = 0;
    while at < segment.len() {
        let (id, body, end) = element(&segment[at..]);
        if id == [0x1F, 0x43, 0xB6, 0x75] {
            out.extend_from_slice(id);
            out.extend_from_slice(&UNKNOWN);
            out.extend_from_slice(body);
        } else {
            out.extend_from_slice(&segment[at..at + end]);
        }
        at += end;
    }
    out
}

#[test]
fn clusters_of_unknown_size_end_at_the_next_cluster() {
    let c = Corpus::new();
    let a = args(
        &[&video(3), &tone(440, 3, 48_000, 2)],
        &[
            "-shortest",
            "-c:v",
            "libvpx",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
            "-c:a",
            "libopus",
            "-cluster_time_limit",
            "500",
        ],
    );
    let all: Vec<&str> = a.iter().map(String::as_str).collect();
    let input = c.make("known.webm", &all);
    let live = c.write(
        "live.webm",
        &unknown_sizes(&std::fs::read(&input).expect("read")),
    );
    let known = run(&input, &ExtractionSpec::default());
    let r = run(&live, &ExtractionSpec::default());
    assert_eq!(r.bytes.len(), known.bytes.len());
    let out = c.write("live.opus", &r.bytes);
    assert_eq!(packets(&input, 0), packets(&out, 0), "every packet found");
}

/// A live WebM (as MediaRecorder writes it) says no duration: the whole of it is copied all the
/// same, and its length comes from its packets.
#[test]
fn a_webm_without_a_duration_is_copied_whole() {
    let c = Corpus::new();
    let a = args(
        &[&tone(440, 2, 48_000, 2)],
        &["-c:a", "libopus", "-live", "1", "-f", "webm"],
    );
    let all: Vec<&str> = a.iter().map(String::as_str).collect();
    let input = c.make("live.webm", &all);
    let r = run(&input, &ExtractionSpec::default());
    assert!(
        (r.outcome.duration - 2.0).abs() < 0.03,
        "{}",
        r.outcome.duration
    );
    let out = c.write("live.opus", &r.bytes);
    check_output(&out, "opus", 2.0, 0.025, 440.0);
    assert_eq!(packets(&input, 0), packets(&out, 0));
}
