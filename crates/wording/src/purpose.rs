//! What a result is for, said around a clear request: "WAV for my subtitles tool", "mp3 so I
//! can transcribe it myself", "转成wav，用来做字幕". Such a clause asks nothing of us, so its
//! words are set aside before anything else reads the message: "subtitles" there is not a
//! request for subtitles, "speech" is not a quality and "intro" is not a part to cut. Only when
//! the rest of the message asks for audio plainly: "subtitles for my video" is still refused.

use super::formats::format_at;
use super::text::Tok;
use super::tokens::Tokens;

/// Words that open a purpose clause.
const STARTS: &[&str] = &[
    "for my",
    "for our",
    "for your",
    "for his",
    "for her",
    "for their",
    "for use",
    "for speech recognition",
    "for transcription",
    "for translation",
    "for subtitles",
    "for karaoke",
    "it's for",
    "it is for",
    "this is for",
    "so i can",
    "so that i can",
    "so we can",
    "so i could",
    "to use in",
    "to use with",
    "to use it",
    "to use for",
    "to put in",
    "to put on",
    "i'll",
    "i will",
    "i'm going to",
    "i'm making",
    "i am making",
    "i'm working on",
    "i am working on",
    "用于",
    "用来",
    "拿来",
    "给我的",
    "我自己",
    "我要做",
    "我想做",
    "我在做",
    "我打算",
    "好让",
    "方便我",
];

/// Words that close it, as a number does: what follows is the request again ("… for my
/// podcast, at 128k").
const ENDS: &[&str] = &[
    ",", ".", ";", ":", "!", "?", "and", "but", "then", "at", "with", "please", "pls", "并",
    "然后", "再", "但",
];

/// "for editing", "for transcribing": "for" and a word in -ing.
fn for_doing(t: &Tokens, i: usize) -> Option<usize> {
    t.at(i, "for")?;
    let w = t.word(i + 1)?;
    (w.len() > 4 && w.ends_with("ing")).then_some(1)
}

/// Words that make the whole clause they are in a purpose: "I want to translate it myself".
const OWN_WORK: &[&str] = &["myself", "by myself", "on my own", "自己来"];

/// Punctuation between clauses.
const PUNCTUATION: &[&str] = &[",", ".", ";", "!", "?"];

/// The purpose clauses of `t`: (first token, end) each.
fn clauses(t: &Tokens) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let Some(n) = t.at_any(i, STARTS).map(|x| x.1).or_else(|| for_doing(t, i)) else {
            i += 1;
            continue;
        };
        let mut end = i + n;
        // A number starts a setting again ("for my podcast 128k").
        let setting = |k: usize| matches!(t.tok(k), Some(Tok::Num(_) | Tok::Clock(_)));
        while end < t.len() && t.at_any(end, ENDS).is_none() && !setting(end) {
            end += 1;
        }
        out.push((i, end));
        i = end;
    }
    if let Some((at, n)) = t.find_any(OWN_WORK) {
        if !out.iter().any(|(a, b)| (*a..*b).contains(&at)) {
            let start = (0..at)
                .rev()
                .find(|&k| t.at_any(k, PUNCTUATION).is_some())
                .map_or(0, |k| k + 1);
            let mut end = at + n;
            while end < t.len() && t.at_any(end, PUNCTUATION).is_none() {
                end += 1;
            }
            out.push((start, end));
        }
    }
    out
}

/// Sets aside the words of purpose clauses (numbers stay: "for my podcast 128k" still gives
/// a bitrate), when the rest of the message asks for audio or names a format by itself.
pub(crate) fn set_aside(t: &mut Tokens, cues: &[&str]) {
    let spans = clauses(t);
    if spans.is_empty() {
        return;
    }
    let inside = |k: usize| spans.iter().any(|(a, b)| (*a..*b).contains(&k));
    let plain = (0..t.len())
        .any(|k| !inside(k) && (t.at_any(k, cues).is_some() || format_at(t, k).is_some()));
    if !plain {
        return;
    }
    for (a, b) in spans {
        for k in a..b {
            if matches!(t.tok(k), Some(Tok::Word(_) | Tok::Han(_) | Tok::Sym(_))) {
                t.take(k, 1);
            }
        }
    }
}
