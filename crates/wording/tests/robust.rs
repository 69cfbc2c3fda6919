//! Any text at all gets an answer, never a panic: messages built from the parser's own
//! vocabulary, shuffled, plus odd characters.

use v2a_wording::{route, summary, understand, Intent};

const PIECES: &[&str] = &[
    "mp3",
    "from",
    "to",
    "0:30",
    "2:15",
    "1:02:03",
    "last",
    "first",
    "the",
    "second",
    "video",
    "track",
    "2",
    "48k",
    "192",
    "kbps",
    "khz",
    "hz",
    "mono",
    "stereo",
    "-",
    "–",
    ":",
    ".",
    "lufs",
    "-14",
    "dbtp",
    "name it",
    "save as",
    "x.mp3",
    "a.mp4",
    "\"",
    "“",
    "命名为",
    "前",
    "最后",
    "一分钟",
    "第二个",
    "音轨",
    "秒",
    "分",
    "从",
    "到",
    "提取",
    "音频",
    "半",
    "1.5",
    "minutes",
    "s",
    "m",
    "and",
    "skip",
    "cut",
    "between",
    "for",
    "start at",
    "until",
    "sample rate",
    "bitrate",
    "英语",
    "spanish",
    "in",
    "original",
    "best",
    "quality",
    "第",
    "个",
    "条",
    "后",
    "：",
    "ｍｐ３",
    "🙂",
    "é",
    "\u{0}",
    "99999999999999999999",
    "0",
    "0:00",
    "9:59:59.999",
];

#[test]
fn shuffled_vocabulary_never_panics() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..2000 {
        let len = (next() % 8) as usize;
        let mut msg = String::new();
        for _ in 0..len {
            let p = PIECES[(next() % PIECES.len() as u64) as usize];
            msg.push_str(p);
            if next() % 3 != 0 {
                msg.push(' ');
            }
        }
        if let Intent::Extract { spec } = understand(&msg) {
            let s = summary(&spec);
            assert!(!s.is_empty(), "{msg:?}");
            if let Some(r) = spec.range {
                // What we accept always describes a real stretch of a long enough media.
                assert!(
                    r.resolve(100_000.0).is_some(),
                    "{msg:?} gave an empty range {r:?}"
                );
            }
        }
        let _ = route(&msg);
    }
}
