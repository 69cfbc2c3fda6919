//! Rewriting the format of a request in place, for the popup's format chips: "extract the audio
//! as mp3, first minute" with the WAV chip becomes "extract the audio as WAV, first minute".

use super::formats;

/// Words that name a format by themselves ("mp3", "original"); phrases of several words
/// ("lossless compression") are left alone and the chip's phrase is appended instead.
fn is_format_word(word: &str) -> bool {
    word == "original" || formats::is_format_word(word)
}

/// "as", "in", "to", "into": the words that lead to a format ("as WAV", "in original quality").
/// `matches!` rather than a slice's `contains`, which costs more WebAssembly.
fn is_preposition(word: &str) -> bool {
    matches!(word, "as" | "in" | "to" | "into")
}

/// "a", "an", "the" before a format ("to an mp3 file").
fn is_article(word: &str) -> bool {
    matches!(word, "a" | "an" | "the")
}

/// `message` with the format it names replaced by `phrase` ("as WAV"), together with the words
/// around it that belong to it ("to an mp3 file" → "as WAV"); `phrase` appended when it names
/// none, and the default instruction's words around it (`Key::Instruction`, in English like the
/// rest of this rewrite) when it is empty. A format right after "from"
/// names the source ("from wav to mp3"), so the one after it is replaced.
pub fn with_format(message: &str, phrase: &str) -> String {
    let trimmed = message.trim();
    if trimmed.is_empty() {
        return v2a_protocol::text::say(
            v2a_protocol::Lang::En,
            v2a_protocol::text::Key::Instruction,
            &[("how", phrase)],
        );
    }
    // (start, end) byte spans of the whitespace-separated words, and each word lowercased
    // without the punctuation that may follow it.
    let mut words: Vec<(usize, usize, String)> = Vec::new();
    let mut start = None;
    for (i, c) in trimmed.char_indices().chain([(trimmed.len(), ' ')]) {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                let word = trimmed[s..i].trim_end_matches(|c: char| {
                    matches!(
                        c,
                        ',' | '.' | ';' | ':' | '!' | '?' | '，' | '。' | '；' | '：' | '！' | '？'
                    )
                });
                // The span is the typed word's; `lower` keeps each letter's UTF-8 length anyway.
                words.push((s, s + word.len(), super::text::lowercase(word)));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    let word = |i: usize| words.get(i).map_or("", |w| w.2.as_str());
    let found = (0..words.len()).find(|&i| {
        let after_from = i > 0 && word(i - 1) == "from";
        // "original" is the format only when asked for ("keep it in original quality"), not
        // in "the original video" or "keep the original quality", which gets the phrase added.
        let asked = (i >= 1 && is_preposition(word(i - 1)))
            || (i >= 2 && is_preposition(word(i - 2)) && is_article(word(i - 1)));
        let loose_original = word(i) == "original" && !asked;
        is_format_word(word(i)) && !after_from && !loose_original
    });
    let Some(at) = found else {
        return format!("{trimmed} {phrase}");
    };
    let mut first = at;
    if first > 0 && is_article(word(first - 1)) {
        first -= 1;
    }
    if first > 0 && is_preposition(word(first - 1)) {
        first -= 1;
    }
    let mut last = at;
    if word(at) == "original" && word(at + 1) == "quality" {
        last += 1;
    }
    if matches!(word(last + 1), "file" | "format" | "audio") {
        last += 1;
    }
    format!(
        "{}{phrase}{}",
        &trimmed[..words[first].0],
        &trimmed[words[last].1..]
    )
}
