//! Matching word lists against a message's tokens.
//!
//! A word list is a slice of phrases (`&[&str]`), or a table giving each phrase its meaning
//! (`&[(&str, T)]`). A phrase is matched against the tokens' own text, written the way
//! `text::normalize` writes a message (lower case, ASCII punctuation); spaces in a phrase are
//! optional between tokens, so "re-encode" matches "re-encode" and "re - encode" alike, but a
//! phrase never matches part of a word ("mono" does not match "monologue", "kbps" does not
//! match "kb ps").

use super::text::{is_han, normalize, tokenize, Tok, Token};

/// Tokens of a message, with a note of which ones a parser has already taken, so that "2" in
/// "track 2" is not also read as a bitrate.
#[derive(Debug, Clone)]
pub(crate) struct Tokens {
    pub toks: Vec<Token>,
    pub used: Vec<bool>,
}

impl Tokens {
    pub fn new(text: &str) -> Self {
        let toks = tokenize(&normalize(text));
        let used = vec![false; toks.len()];
        Self { toks, used }
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i).map(|t| &t.tok)
    }

    /// The token at `i` if it is an unused word.
    pub fn word(&self, i: usize) -> Option<&str> {
        match self.toks.get(i) {
            Some(Token {
                tok: Tok::Word(w), ..
            }) if !self.used[i] => Some(w),
            _ => None,
        }
    }

    /// The number at `i`, if unused.
    pub fn num(&self, i: usize) -> Option<f64> {
        match self.toks.get(i) {
            Some(Token {
                tok: Tok::Num(n), ..
            }) if !self.used[i] => Some(*n),
            _ => None,
        }
    }

    /// Length in tokens of `phrase` when it occurs, unused, at `i`.
    pub fn at(&self, i: usize, phrase: &str) -> Option<usize> {
        let mut rest = phrase.trim_start();
        let mut k = i;
        while !rest.is_empty() {
            let tok = self.toks.get(k).filter(|_| !self.used[k])?;
            let after = rest.strip_prefix(tok.text.as_str())?;
            // The phrase goes on where the token ends: only a part of the message's word.
            let cut = after.chars().next().is_some_and(|c| match tok.tok {
                Tok::Word(_) => c.is_alphanumeric() && !is_han(c),
                Tok::Num(_) | Tok::Clock(_) => c.is_ascii_digit() || c == '.' || c == ':',
                _ => false,
            });
            if cut {
                return None;
            }
            rest = after.trim_start();
            k += 1;
        }
        (k > i).then_some(k - i)
    }

    /// The first of `phrases` found at `i`: (its index in the list, token length).
    pub fn at_any(&self, i: usize, phrases: &[&str]) -> Option<(usize, usize)> {
        phrases
            .iter()
            .enumerate()
            .find_map(|(k, p)| self.at(i, p).map(|n| (k, n)))
    }

    /// The meaning of the first phrase of `table` found at `i`, with its token length.
    pub fn lookup<T: Copy>(&self, i: usize, table: &[(&str, T)]) -> Option<(T, usize)> {
        table
            .iter()
            .find_map(|(p, meaning)| self.at(i, p).map(|n| (*meaning, n)))
    }

    /// Earliest phrase of `table` in the message: (position, meaning, token length).
    pub fn find<T: Copy>(&self, table: &[(&str, T)]) -> Option<(usize, T, usize)> {
        (0..self.toks.len()).find_map(|i| self.lookup(i, table).map(|(m, n)| (i, m, n)))
    }

    /// Earliest position where any of `phrases` occurs: (position, token length).
    pub fn find_any(&self, phrases: &[&str]) -> Option<(usize, usize)> {
        (0..self.toks.len()).find_map(|i| self.at_any(i, phrases).map(|(_, n)| (i, n)))
    }

    /// Whether any of `phrases` occurs.
    pub fn has_any(&self, phrases: &[&str]) -> bool {
        self.find_any(phrases).is_some()
    }

    /// Mark `n` tokens from `i` as taken.
    pub fn take(&mut self, i: usize, n: usize) {
        let end = (i + n).min(self.used.len());
        for u in &mut self.used[i.min(end)..end] {
            *u = true;
        }
    }

    /// The text of tokens `i..j`, for quoting back ("30 seconds").
    pub fn text(&self, i: usize, j: usize) -> String {
        let j = j.min(self.toks.len());
        let mut s = String::new();
        for (k, t) in self.toks[i.min(j)..j].iter().enumerate() {
            if k > 0 && t.space_before {
                s.push(' ');
            }
            s.push_str(&t.text);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::Tokens;

    #[test]
    fn phrases_match_whole_tokens_with_optional_spaces() {
        let t = Tokens::new("Re - encode at 128 KBPS, 单声道 monologue");
        assert_eq!(t.at(0, "re-encode"), Some(3));
        assert_eq!(t.at(4, "128 kbps"), Some(2));
        assert_eq!(t.at(4, "128kbps"), Some(2));
        assert_eq!(t.at(5, "kb"), None, "part of a word");
        assert_eq!(t.at(7, "单声道"), Some(3));
        assert_eq!(t.at(10, "mono"), None, "monologue is not mono");
        assert_eq!(t.at_any(5, &["k", "kbps"]), Some((1, 1)));
        assert_eq!(
            t.find(&[("单声道", 1u32), ("kbps", 2)]),
            Some((5, 2, 1)),
            "the earliest in the message, whatever the table's order"
        );
        let mut used = Tokens::new("mp3 mp3");
        used.take(0, 1);
        assert_eq!(
            used.find_any(&["mp3"]),
            Some((1, 1)),
            "taken tokens are skipped"
        );
    }

    /// Every phrase of every word list is written as `normalize` writes a message (lower case,
    /// ASCII punctuation), or it could never match. The lists are read from the sources: a
    /// phrase is a string literal opening a line of a table (`"mp3",` or `("mp3", …)`).
    #[test]
    fn word_lists_are_written_as_messages_are_normalised() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).expect("the sources") {
            let path = entry.expect("a source").path();
            let text = std::fs::read_to_string(&path).expect("a source file");
            for line in text.lines() {
                let line = line.trim_start().trim_start_matches(['(', '&', '[']);
                let Some(rest) = line.strip_prefix('"') else {
                    continue;
                };
                for literal in std::iter::once(rest)
                    .chain(rest.split(", \"").skip(1))
                    .filter_map(|l| l.split_once('"').map(|x| x.0))
                    // Sentences (long, or with a placeholder or an aside) are not phrases.
                    .filter(|l| l.chars().count() <= 40 && !l.contains(['{', '(', '（']))
                {
                    checked += 1;
                    assert_eq!(literal, super::normalize(literal), "{}", path.display());
                }
            }
        }
        assert!(checked > 500, "{checked} phrases found");
    }
}
