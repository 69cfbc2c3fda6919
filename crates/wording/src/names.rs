//! File names in a message: the output name ("name it interview", "save as episode-12.mp3",
//! "命名为 采访") and the upload a request is about ("the file lecture"; names with an extension,
//! like "interview.mp4", are read by `file_names.rs`).
//!
//! These are read from the message as typed, before anything else, because a name keeps its
//! case and may contain anything ("call it translation notes" must not be refused as a
//! translation); what was read is blanked out of the text the other parsers see.

use super::file_names::file_names;
use super::formats::{audio_ext, is_format_word, VIDEO_EXTS};
use super::name_text::{blank, clean, is_sep, QUOTES};
use super::spec::OutputFormat;

/// Names found, and the message with them blanked out.
#[derive(Debug, Default)]
pub(crate) struct Names {
    pub output: Option<String>,
    /// Format from the output name's extension ("episode-12.mp3").
    pub output_format: Option<OutputFormat>,
    /// A video extension on the output name: we cannot make that.
    pub video_extension: Option<String>,
    pub source: Option<String>,
    pub rest: String,
}

const OUTPUT_MARKERS: &[&str] = &[
    "named",
    "called",
    "name it",
    "call the file",
    "call the output",
    "name the file",
    "name the output",
    "call it",
    "save it as",
    "save as",
    "file name",
    "filename",
    "output name",
    "title it",
    "命名为",
    "命名成",
    "名字叫",
    "名字为",
    "文件名为",
    "文件名改成",
    "文件名改为",
    "名字改成",
    "重命名为",
    "改名为",
    "改名叫",
    "文件名叫",
    "文件名是",
    "文件名",
    "保存为",
    "存为",
    "另存为",
    "取名为",
    "取名",
];
const SOURCE_MARKERS: &[&str] = &[
    "the file called",
    "the file named",
    "the video called",
    "the video named",
    "file called",
    "file named",
    "video called",
    "video named",
    "the file",
    "名为",
];
/// Words after a marker that are not a name: "save as a wav"; nor is a format ("save as mp3").
const NOT_NAMES: &[&str] = &[
    "a", "an", "the", "it", "audio", "file", "original", "is", "to", "as", "in", "into", "from",
    "and", "with", "at", "for", "please", "of", "that", "this", "you", "me", "mono", "stereo",
    "size", "small", "smaller", "tiny", "short", "shorter",
];

/// Whether what follows a marker can be a name: not a filler word, not a bare number.
fn plausible(raw: &str) -> bool {
    let l = super::text::lowercase(raw);
    !NOT_NAMES.contains(&l.as_str())
        && !is_format_word(&l)
        && !l.chars().all(|c| c.is_ascii_digit())
}
/// Words of an unquoted name after its first: enough for "Week 4 Lecture Part 2".
const MAX_NAME_WORDS: usize = 5;

/// Words that end an unquoted name: the request goes on.
const NAME_STOPS: &[&str] = &[
    "but",
    "then",
    "pls",
    "plz",
    "thanks",
    "thx",
    "only",
    "first",
    "last",
    "from",
    "between",
    "starting",
    "until",
    "using",
    "without",
    "normalized",
    "normalised",
    "normalize",
    "normalise",
    "lossless",
    "high",
    "low",
    "small",
    "best",
];

/// Whether `word` goes on an unquoted name ("12", "Lecture"): not a filler or a format, not a
/// setting with a unit ("128k"), not a time ("1:30").
fn name_word(word: &str) -> bool {
    let l = super::text::lowercase(word.trim_end_matches('.'));
    let setting = l.starts_with(|c: char| c.is_ascii_digit()) && l.contains(char::is_alphabetic);
    !NOT_NAMES.contains(&l.as_str())
        && !NAME_STOPS.contains(&l.as_str())
        && !is_format_word(&l)
        && !setting
        && !l.contains(':')
}

/// Whether `name` ends with a file extension we know ("final.mp3").
fn has_extension(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| audio_ext(ext).is_some() || VIDEO_EXTS.contains(&ext))
}

/// Where an unquoted Chinese name stops ("命名为采访并转成mp3").
const HAN_STOPS: &[&str] = &[
    "并且",
    "并",
    "然后",
    "再",
    "转成",
    "转为",
    "格式",
    "的音频",
    "的视频",
    "的文件",
    "吧",
];

/// The name starting at byte `from` of `msg`: (name, end byte).
fn name_at(msg: &str, from: usize) -> Option<(String, usize)> {
    let rest = &msg[from..];
    let skipped = rest.len()
        - rest
            .trim_start_matches(|c: char| c.is_whitespace() || ":：=".contains(c))
            .len();
    let start = from + skipped;
    let mut chars = msg[start..].chars();
    let first = chars.next()?;
    if let Some(&(_, close)) = QUOTES.iter().find(|(open, _)| *open == first) {
        let inner = start + first.len_utf8();
        let len = msg[inner..].find(close)?;
        return Some((
            msg[inner..inner + len].to_string(),
            inner + len + close.len_utf8(),
        ));
    }
    let word_end = |from: usize| msg[from..].find(is_sep).map_or(msg.len(), |n| from + n);
    let mut end = word_end(start);
    // Later words belong to the name ("episode 12", "my song") up to punctuation or a word
    // that goes on with the request ("… and make it mp3", "… as wav", "… 128k").
    for _ in 0..MAX_NAME_WORDS {
        if has_extension(&msg[start..end]) {
            break;
        }
        let gap = msg[end..].len() - msg[end..].trim_start_matches(' ').len();
        let next = end + gap;
        let next_end = word_end(next);
        if gap == 0 || next_end == next || !name_word(&msg[next..next_end]) {
            break;
        }
        end = next_end;
    }
    if let Some(stop) = HAN_STOPS
        .iter()
        .filter_map(|s| msg[start..end].find(s))
        .min()
    {
        end = start + stop;
    }
    let name = msg[start..end].trim_end_matches(['.', '。']);
    Some((name.to_string(), end))
}

/// Position of the first of `markers` as a whole phrase in `lower` (ASCII-lowercased message).
fn find_marker(lower: &str, markers: &[&str]) -> Option<(usize, usize)> {
    markers
        .iter()
        .filter_map(|m| {
            lower.match_indices(m).find(|(at, _)| {
                let before = lower[..*at].chars().next_back();
                let after = lower[at + m.len()..].chars().next();
                let ascii = m.is_ascii();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
                // "the video named x" names an upload, not the output.
                let of_upload = ["named", "called"].contains(m)
                    && ["video ", "file ", "upload ", "clip ", "one ", "recording "]
                        .iter()
                        .any(|w| lower[..*at].ends_with(w));
                (!ascii || !(word(before) || word(after))) && !of_upload
            })
        })
        .map(|(at, m)| (at, at + m.len()))
        // The earliest; of two at the same place, the longer ("文件名叫" over "文件名").
        .min_by_key(|&(at, end)| (at, usize::MAX - end))
}

/// Read the names out of `msg`.
pub(crate) fn names(msg: &str) -> Names {
    let mut rest = msg.to_string();
    let mut out = Names::default();
    // A link is where a video comes from (the upload step fetches it), not part of the
    // request: its digits and path would otherwise read as times and names.
    while let Some(at) = rest.find("http://").or_else(|| rest.find("https://")) {
        let end = rest[at..]
            .find(char::is_whitespace)
            .map_or(rest.len(), |n| at + n);
        blank(&mut rest, at, end);
    }
    let lower = rest.to_ascii_lowercase();
    if let Some((m_start, m_end)) = find_marker(&lower, OUTPUT_MARKERS) {
        if let Some((raw, end)) = name_at(&rest, m_end) {
            if plausible(&raw) {
                let (stem, ext) = match raw.rsplit_once('.') {
                    Some((stem, ext)) if !stem.is_empty() => (stem, ext.to_ascii_lowercase()),
                    _ => (raw.as_str(), String::new()),
                };
                if let Some(f) = audio_ext(&ext) {
                    out.output_format = Some(f);
                    out.output = clean(stem);
                } else if VIDEO_EXTS.contains(&ext.as_str()) {
                    out.video_extension = Some(ext);
                    out.output = clean(stem);
                } else {
                    out.output = clean(&raw);
                }
                blank(&mut rest, m_start, end);
            }
        }
    }
    let files = file_names(&mut rest, out.output.is_some());
    if out.output.is_none() {
        out.output = files.output;
        out.output_format = files.output_format;
    }
    out.source = files.source;
    if out.source.is_none() {
        let lower_rest = rest.to_ascii_lowercase();
        if let Some((m_start, m_end)) = find_marker(&lower_rest, SOURCE_MARKERS) {
            if let Some((raw, end)) = name_at(&rest, m_end) {
                if plausible(&raw) && clean(&raw).is_some() {
                    out.source = clean(&raw);
                    blank(&mut rest, m_start, end);
                }
            }
        }
    }
    out.rest = rest;
    out
}
