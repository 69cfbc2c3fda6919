//! Matching keyword lists against a message's tokens.

use std::cell::RefCell;
use std::rc::Rc;

use super::text::{normalize, tokenize, Tok, Token};

/// A word list, tokenized once: phrase `k` of the list is `lists[k]`.
type List = Rc<[Box<[Tok]>]>;

thread_local! {
    /// Word lists already tokenized, keyed by where the list's text lives: lists are
    /// `&'static str` constants, matched at every position of every message.
    /// A short list searched in order rather than a hash map: there are about a hundred lists,
    /// and a second hash map type would add its code to the wasm.
    static LISTS: RefCell<Vec<((usize, usize), List)>> = RefCell::default();
}

/// The phrases of `list` (separated by `|`) as tokens.
fn list(list: &'static str) -> List {
    let key = (list.as_ptr() as usize, list.len());
    LISTS.with(|lists| {
        let mut lists = lists.borrow_mut();
        if let Some((_, found)) = lists.iter().find(|(k, _)| *k == key) {
            return Rc::clone(found);
        }
        let tokens: List = list
            .split('|')
            .map(|p| tokenize(&normalize(p)).into_iter().map(|t| t.tok).collect())
            .collect();
        lists.push((key, Rc::clone(&tokens)));
        tokens
    })
}

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

    /// Length in tokens of `want` when it occurs, unused, at `i`.
    fn matches(&self, i: usize, want: &[Tok]) -> Option<usize> {
        let n = want.len();
        if n == 0 || i + n > self.toks.len() {
            return None;
        }
        let same = want
            .iter()
            .zip(&self.toks[i..i + n])
            .zip(&self.used[i..i + n])
            .all(|((w, t), used)| !used && *w == t.tok);
        same.then_some(n)
    }

    /// Length in tokens of `phrase` when it occurs, unused, at `i`.
    pub fn at(&self, i: usize, phrase: &'static str) -> Option<usize> {
        self.at_any(i, phrase).map(|(_, n)| n)
    }

    /// The first of `phrases` (a word list separated by `|`) found at `i`: (index of the
    /// phrase in the list, token length).
    pub fn at_any(&self, i: usize, phrases: &'static str) -> Option<(usize, usize)> {
        list(phrases)
            .iter()
            .enumerate()
            .find_map(|(k, p)| self.matches(i, p).map(|n| (k, n)))
    }

    /// Earliest position where any of `phrases` occurs: (position, token length).
    pub fn find_any(&self, phrases: &'static str) -> Option<(usize, usize)> {
        let phrases = list(phrases);
        (0..self.toks.len()).find_map(|i| {
            phrases
                .iter()
                .find_map(|p| self.matches(i, p))
                .map(|n| (i, n))
        })
    }

    /// Whether any of `phrases` occurs.
    pub fn has_any(&self, phrases: &'static str) -> bool {
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
