//! File names in a message: the output name ("name it interview", "save as episode-12.mp3",
//! "命名为 采访") and the upload a request is about ("the file lecture"; names with an extension,
//! like "interview.mp4", are read by `file_names.rs`).
//!
//! These are read from the message as typed, before anything else, because a name keeps its
//! case and may contain anything ("call it translation notes" must not be refused as a
//! translation); what was read is blanked out of the text the other parsers see.

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
pub(crate) use v2a_protocol::formats::VIDEO_EXTENSIONS as VIDEO_EXTS;
/// Words after a marker that are not a name: "save as a wav", "save as mp3".
const NOT_NAMES: &[&str] = &[
    "a", "an", "the", "it", "mp3", "m4a", "aac", "wav", "wave", "flac", "ogg", "opus", "audio",
    "file", "original", "is", "to", "as", "in", "into", "from", "and", "with", "at", "for",
    "please", "of", "that", "this", "you", "me", "mono", "stereo",
];

/// Whether what follows a marker can be a name: not a filler word, not a bare number.
fn plausible(raw: &str) -> bool {
    let l = super::text::lowercase(raw);
    !NOT_NAMES.contains(&l.as_str()) && !l.chars().all(|c| c.is_ascii_digit())
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
pub(crate) const QUOTES: &[(char, char)] = &[
    ('"', '"'),
    ('\'', '\''),
    ('“', '”'),
    ('‘', '’'),
    ('「', '」'),
    ('《', '》'),
    ('『', '』'),
];

pub(crate) fn is_sep(c: char) -> bool {
    c.is_whitespace() || ",;!?，。；！？、()（）".contains(c)
}

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
    let mut end = msg[start..].find(is_sep).map_or(msg.len(), |n| start + n);
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

/// The name by the one file-name rule (`v2a_protocol::units`); `None` when nothing is left.
pub(crate) fn clean(name: &str) -> Option<String> {
    let s = v2a_protocol::units::clean_name(name);
    (!s.is_empty()).then_some(s)
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
        .min()
}

pub(crate) fn blank(s: &mut String, start: usize, end: usize) {
    s.replace_range(start..end, &" ".repeat(end - start));
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
                if let Some(f) = v2a_protocol::formats::format_of_extension(&ext) {
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
    super::file_names::file_names(&mut rest, &mut out);
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
