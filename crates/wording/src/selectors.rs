//! Which upload ("the second video", "video 2", "第二个视频") and which audio track ("track 2",
//! "the English track", "西班牙语音轨").

use super::languages::LANGUAGES;
use super::rates::OTHER_UNITS;
use super::spec::{SourceSelector, TrackSelector};
use super::text::Tok;
use super::tokens::Tokens;
use super::{Ctx, Parse};

const ORDINALS: &[(&str, u32)] = &[
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
];
const LATEST: &[&str] = &[
    "last",
    "latest",
    "most recent",
    "newest",
    "最后",
    "最新",
    "最近",
];
const FILLERS: &[&str] = &[
    "个",
    "段",
    "部",
    "条",
    "的",
    "uploaded",
    "上传的",
    "次上传的",
    "次",
];
/// Nouns naming the upload ("the second video", "from the file"); after "original" they mean
/// the source ("the original video"), not the format.
pub(crate) const SOURCE_NOUNS: &[&str] = &[
    "video",
    "file",
    "upload",
    "clip",
    "recording",
    "movie",
    "one",
    "视频",
    "文件",
    "上传",
    "片段",
    "影片",
    "录像",
];
const TRACK_NOUNS: &[&str] = &[
    "audio track",
    "audio stream",
    "track",
    "stream",
    "音轨",
    "声轨",
    "音频轨道",
    "音频轨",
    "轨道",
    "轨",
];
const LANG_NOUNS: &[&str] = &[
    "audio track",
    "audio",
    "track",
    "version",
    "dub",
    "dubbed",
    "language",
    "soundtrack",
    "stream",
    "音轨",
    "音频",
    "配音",
    "版本",
    "版",
    "声音",
    "声轨",
    "语音",
];
const NUMBER_MARK: &[&str] = &["#", "number", "no", "no.", "nr"];

enum Ordinal {
    Pos(u32),
    Latest,
}

/// "second", "2nd", "第二", "last" at `i`, with the token after it.
fn ordinal_at(t: &Tokens, i: usize) -> Option<(Ordinal, usize)> {
    if let Some((k, n)) = t.lookup(i, ORDINALS) {
        return Some((Ordinal::Pos(k), i + n));
    }
    if let Some((_, n)) = t.at_any(i, LATEST) {
        // "最后一个视频": the "一" is part of "the last one".
        let one =
            usize::from(t.num(i + n) == Some(1.0) && matches!(t.tok(i + n), Some(Tok::Num(_))));
        return Some((Ordinal::Latest, i + n + one));
    }
    let whole = |n: f64| (n >= 1.0 && n.fract() == 0.0 && n < 1000.0).then_some(n as u32);
    if let Some(n) = t.num(i).and_then(whole) {
        if t.at_any(i + 1, &["st", "nd", "rd", "th"]).is_some() {
            return Some((Ordinal::Pos(n), i + 2));
        }
    }
    if t.at(i, "第").is_some() {
        let n = t.num(i + 1).and_then(whole)?;
        return Some((Ordinal::Pos(n), i + 2));
    }
    None
}

fn skip_fillers(t: &Tokens, mut j: usize) -> usize {
    while let Some((_, n)) = t.at_any(j, FILLERS) {
        j += n;
    }
    j
}

/// "video 2", "track #3", "音轨2": a whole number after a noun, not followed by a unit.
fn number_after_noun(t: &Tokens, j: usize) -> Option<(u32, usize)> {
    let j = j + t.at_any(j, NUMBER_MARK).map_or(0, |x| x.1);
    let n = t.num(j)?;
    // "音轨二" is track 2, but "视频一下" is not video 1.
    let digits = !t.toks[j].spelled || !matches!(t.tok(j + 1), Some(Tok::Han(_)));
    let unit =
        t.at_any(j + 1, OTHER_UNITS).is_some() || t.at_any(j + 1, &["k", "kbps", "khz"]).is_some();
    (digits && !unit && n >= 1.0 && n.fract() == 0.0).then_some((n as u32, j + 1))
}

/// Read which upload and which track.
pub(crate) fn selectors(cx: &mut Ctx) -> Parse {
    let mut i = 0;
    while i < cx.t.len() {
        let t = &cx.t;
        let mut hit = None;
        if let Some((ord, j)) = ordinal_at(t, i) {
            let j = skip_fillers(t, j);
            if let Some((_, n)) = t.at_any(j, SOURCE_NOUNS) {
                // "最新上传的视频" asks for the latest upload's audio, the default.
                cx.asked = true;
                if cx.spec.source == SourceSelector::Latest {
                    cx.spec.source = match ord {
                        Ordinal::Pos(p) => SourceSelector::Position(p),
                        Ordinal::Latest => SourceSelector::Latest,
                    };
                }
                hit = Some(j + n);
            } else if let (Ordinal::Pos(p), Some(n)) = (
                &ord,
                t.at_any(j, TRACK_NOUNS)
                    .map(|x| x.1)
                    .or_else(|| t.at(j, "audio")),
            ) {
                if cx.spec.track == TrackSelector::Default {
                    cx.spec.track = TrackSelector::Position(*p);
                }
                hit = Some(j + n);
            }
        }
        if hit.is_none() {
            if let Some((_, n)) = t.at_any(i, SOURCE_NOUNS) {
                if let Some((p, end)) = number_after_noun(t, i + n) {
                    if cx.spec.source == SourceSelector::Latest {
                        cx.spec.source = SourceSelector::Position(p);
                    }
                    hit = Some(end);
                }
            } else if let Some((_, n)) = t.at_any(i, TRACK_NOUNS) {
                if let Some((p, end)) = number_after_noun(t, i + n) {
                    if cx.spec.track == TrackSelector::Default {
                        cx.spec.track = TrackSelector::Position(p);
                    }
                    hit = Some(end);
                }
            }
        }
        if hit.is_none() {
            hit = language_at(cx, i);
        }
        match hit {
            Some(end) => {
                cx.t.take(i, end - i);
                i = end;
            }
            None => i += 1,
        }
    }
    Ok(())
}

/// "the Spanish track", "Spanish audio", "the audio in Spanish", "英语音轨" at `i`.
fn language_at(cx: &mut Ctx, i: usize) -> Option<usize> {
    let t = &cx.t;
    let in_ = usize::from(t.at_any(i, &["in", "用"]).is_some());
    let (k, n) = LANGUAGES
        .iter()
        .enumerate()
        .find_map(|(k, l)| t.at_any(i + in_, l.words).map(|(_, n)| (k, n)))?;
    let mut end = i + in_ + n;
    if in_ == 0 {
        let j = end + t.at(end, "的").unwrap_or(0);
        end = j + t.at_any(j, LANG_NOUNS)?.1;
    }
    if cx.spec.track == TrackSelector::Default {
        cx.spec.track = TrackSelector::Language(LANGUAGES[k].codes[0].to_string());
    }
    Some(end)
}
