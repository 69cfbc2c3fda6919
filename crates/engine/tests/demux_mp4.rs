//! MP4 indexes ffmpeg does not write for small files: 64-bit chunk offsets (`co64`).

#[path = "common/media.rs"]
mod media;

use media::{args, packets, run, tone, video, Corpus};
use v2a_protocol::ExtractionSpec;

/// The boxes of `data`: (type, body).
fn boxes(data: &[u8]) -> Vec<([u8; 4], &[u8])> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 8 <= data.len() {
        let size = u32::from_be_bytes(data[at..at + 4].try_into().expect("4 bytes")) as usize;
        let kind: [u8; 4] = data[at + 4..at + 8].try_into().expect("4 bytes");
        out.push((kind, &data[at + 8..at + size]));
        at += size;
    }
    out
}

fn wrap(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(body);
    out
}

/// `data`'s boxes with every `stco` turned into the `co64` of the same offsets.
fn to_co64(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (kind, body) in boxes(data) {
        match &kind {
            b"moov" | b"trak" | b"mdia" | b"minf" | b"stbl" => {
                out.extend(wrap(&kind, &to_co64(body)))
            }
            b"stco" => {
                let mut co64 = body[..8].to_vec();
                for o in body[8..].chunks_exact(4) {
                    let offset = u32::from_be_bytes(o.try_into().expect("4 bytes"));
                    co64.extend_from_slice(&u64::from(offset).to_be_bytes());
                }
                out.extend(wrap(b"co64", &co64));
            }
            _ => out.extend(wrap(&kind, body)),
        }
    }
    out
}

#[test]
fn sixty_four_bit_chunk_offsets_are_read() {
    let c = Corpus::new();
    let a = args(
        &[&video(2), &tone(440, 2, 48_000, 2)],
        &["-shortest", "-c:v", "mpeg4", "-c:a", "aac"],
    );
    let all: Vec<&str> = a.iter().map(String::as_str).collect();
    // ffmpeg writes the moov last, so rewriting it moves no sample.
    let input = c.make("stco.mp4", &all);
    let bytes = std::fs::read(&input).expect("read");
    let rewritten = to_co64(&bytes);
    assert!(
        rewritten.windows(4).any(|w| w == b"co64"),
        "the rewrite has co64"
    );
    let co64 = c.write("co64.mp4", &rewritten);
    let r = run(&co64, &ExtractionSpec::default());
    let out = c.write("co64.m4a", &r.bytes);
    assert_eq!(packets(&input, 0), packets(&out, 0));
}
