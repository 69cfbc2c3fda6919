//! Every word the parser knows for a file format, in one place: the formats we make (their
//! extensions and names come from `v2a_protocol::formats`, the one table of formats), the
//! video containers a name may end with, and the audio formats we do not make.

use v2a_protocol::formats::{format_of_extension, FORMATS};

use super::spec::OutputFormat;
use super::tokens::Tokens;

/// Phrases naming a format beyond the table's extensions and words.
const MORE_FORMAT_WORDS: &[(&str, OutputFormat)] = &[
    ("lossless compression", OutputFormat::Flac),
    ("无损压缩", OutputFormat::Flac),
];

/// Extensions of video files: an upload's name, or a result we cannot make ("save as x.mp4").
pub(crate) use v2a_protocol::formats::VIDEO_EXTENSIONS as VIDEO_EXTS;

/// Words for a video as a result, besides its extensions ("make a gif", "转成视频").
pub(crate) const VIDEO_WORDS: &[&str] = &["gif", "video", "视频", "动图"];

/// Audio formats people ask for that we do not make.
pub(crate) const OTHER_FORMATS: &[&str] = &[
    "aiff", "aif", "wma", "amr", "ac3", "eac3", "dts", "alac", "m4r", "ape", "mp2", "midi",
];

/// The format a file extension gives, lower or upper case ("MP3", "aac").
pub(crate) fn audio_ext(ext: &str) -> Option<OutputFormat> {
    format_of_extension(ext)
}

/// Every audio extension of the formats we make.
pub(crate) fn audio_exts() -> impl Iterator<Item = &'static str> {
    FORMATS.iter().flat_map(|f| f.extensions.iter().copied())
}

/// The format named at token `i` ("mp3", "wave", "lossless compression"), with its length.
pub(crate) fn format_at(t: &Tokens, i: usize) -> Option<(OutputFormat, usize)> {
    FORMATS
        .iter()
        .find_map(|f| {
            let n = f
                .extensions
                .iter()
                .chain(f.words)
                .find_map(|w| t.at(i, w))?;
            Some((f.format, n))
        })
        .or_else(|| t.lookup(i, MORE_FORMAT_WORDS))
}

/// Whether `word` names a format we make by itself ("mp3", "wave"; not "lossless compression").
pub(crate) fn is_format_word(word: &str) -> bool {
    v2a_protocol::formats::format_named(word).is_some()
}
