//! File names with an extension in a message ("long.wav", "interview.mp4", "\"my talk.mov\""):
//! which upload a request is about, or — right after "to"/"as" — the result's name.

use v2a_protocol::formats::{format_of_extension, FORMATS};

use super::names::{blank, clean, is_sep, Names, QUOTES, VIDEO_EXTS};

/// Words before an audio file name that make it the result, not the upload:
/// "convert to notes.mp3", "转成 notes.mp3".
const TO_WORDS: &[&str] = &["to", "into", "as", "转成", "转为", "转"];

/// Every extension a file name in a message may end with: the upload's or the result's.
fn file_exts() -> impl Iterator<Item = &'static str> {
    VIDEO_EXTS
        .iter()
        .copied()
        .chain(FORMATS.iter().flat_map(|f| f.extensions.iter().copied()))
}

/// The extension `name` ends with, lowercase, if it is a file name we know ("long.wav",
/// "my talk.MOV").
fn known_ext(name: &str) -> Option<&'static str> {
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.trim().is_empty() {
        return None;
    }
    // The two lists one after the other: a chained iterator's search costs more WebAssembly.
    for e in VIDEO_EXTS {
        if e.eq_ignore_ascii_case(ext) {
            return Some(e);
        }
    }
    FORMATS
        .iter()
        .flat_map(|f| f.extensions.iter().copied())
        .find(|e| e.eq_ignore_ascii_case(ext))
}

/// File names with an extension ("long.wav", "interview.mp4", "\"my talk.mov\""): the upload a
/// request is about, so "extract long.wav as mp3" takes the audio *from* long.wav and the
/// format comes from "as mp3" — the name's extension is not a format. An audio file name right
/// after "to"/"as" ("convert to notes.mp3") is the result's name instead, as "save as" is.
pub(crate) fn file_names(rest: &mut String, out: &mut Names) {
    // (start, end, name) of each candidate, earliest first (kept in order as they are found).
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    for &(open, close) in QUOTES {
        let mut from = 0;
        while let Some(at) = rest[from..].find(open).map(|n| from + n) {
            let inner = at + open.len_utf8();
            let Some(len) = rest[inner..].find(close) else {
                break;
            };
            let end = inner + len + close.len_utf8();
            let name = &rest[inner..inner + len];
            if known_ext(name).is_some() {
                insert_by_start(&mut found, (at, end, name.to_string()));
            }
            from = end;
        }
    }
    let lower = rest.to_ascii_lowercase();
    for ext in file_exts() {
        let mut dotted = String::from(".");
        dotted.push_str(ext);
        for (at, _) in lower.match_indices(&dotted) {
            let end = at + dotted.len();
            // Bytes are enough: no byte of a non-ASCII character is an ASCII letter or digit.
            if lower
                .as_bytes()
                .get(end)
                .is_some_and(u8::is_ascii_alphanumeric)
            {
                continue;
            }
            let start = rest[..at]
                .char_indices()
                .rev()
                .find(|(_, c)| {
                    is_sep(*c)
                        || "从把将用在对里".contains(*c)
                        || QUOTES.iter().any(|q| q.0 == *c || q.1 == *c)
                })
                .map_or(0, |(i, c)| i + c.len_utf8());
            let quoted = found.iter().any(|(s, e, _)| *s <= at && at < *e);
            if start < at && !quoted {
                insert_by_start(&mut found, (start, end, rest[start..end].to_string()));
            }
        }
    }
    for (start, end, name) in found {
        let ext = known_ext(&name).unwrap_or_default();
        let before = super::text::lowercase(rest[..start].trim_end());
        let to_result = !VIDEO_EXTS.contains(&ext)
            && TO_WORDS.iter().any(|w| {
                before.ends_with(w)
                    // A Han word is Han from its first byte; English ones are all ASCII.
                    && (!w.as_bytes()[0].is_ascii()
                        || !before.as_bytes()[..before.len() - w.len()]
                            .last()
                            .is_some_and(u8::is_ascii_alphanumeric))
            });
        if to_result {
            if out.output.is_none() {
                let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
                out.output = clean(stem);
                out.output_format = format_of_extension(ext);
                blank(rest, start, end);
            }
        } else if out.source.is_none() {
            out.source = clean(&name);
            blank(rest, start, end);
        }
    }
}

/// Puts `item` after every candidate that starts at or before it, so `found` stays ordered by
/// start (ties in the order found). Done by hand rather than with `sort_by_key`, whose
/// general-purpose sort adds kilobytes to the WebAssembly for a list of a few names.
fn insert_by_start(found: &mut Vec<(usize, usize, String)>, item: (usize, usize, String)) {
    let at = found
        .iter()
        .position(|(start, ..)| *start > item.0)
        .unwrap_or(found.len());
    found.insert(at, item);
}
