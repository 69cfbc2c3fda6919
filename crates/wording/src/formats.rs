//! Every word the parser knows for a file format, in one place: the formats we make (by name
//! and by file extension), the video containers a name may end with, and the audio formats
//! people ask for that we do not make.

use super::spec::OutputFormat;

/// Names of the formats we make, as people write them ("mp3", "aac", "wave", "无损压缩").
pub(crate) const FORMATS: &[(&str, OutputFormat)] = &[
    ("mp3", OutputFormat::Mp3),
    ("m4a", OutputFormat::M4a),
    ("aac", OutputFormat::M4a),
    ("wav", OutputFormat::Wav),
    ("wave", OutputFormat::Wav),
    ("pcm", OutputFormat::Wav),
    ("flac", OutputFormat::Flac),
    ("ogg", OutputFormat::Ogg),
    ("vorbis", OutputFormat::Ogg),
    ("opus", OutputFormat::Opus),
    ("lossless compression", OutputFormat::Flac),
    ("无损压缩", OutputFormat::Flac),
];

/// Extensions of the audio files we make, and of AAC files people name ("episode.aac").
pub(crate) const AUDIO_EXTS: &[(&str, OutputFormat)] = &[
    ("mp3", OutputFormat::Mp3),
    ("m4a", OutputFormat::M4a),
    ("aac", OutputFormat::M4a),
    ("wav", OutputFormat::Wav),
    ("flac", OutputFormat::Flac),
    ("ogg", OutputFormat::Ogg),
    ("opus", OutputFormat::Opus),
];

/// Extensions of video files: an upload's name, or a result we cannot make ("save as x.mp4").
pub(crate) const VIDEO_EXTS: &[&str] = &[
    "mp4", "mov", "m4v", "avi", "mkv", "webm", "flv", "wmv", "mpg", "mpeg", "3gp", "mts", "ts",
];

/// Words for a video as a result, besides its extensions ("make a gif", "转成视频").
pub(crate) const VIDEO_WORDS: &[&str] = &["gif", "video", "视频", "动图"];

/// Audio formats people ask for that we do not make.
pub(crate) const OTHER_FORMATS: &[&str] = &[
    "aiff", "aif", "wma", "amr", "ac3", "eac3", "dts", "alac", "m4r", "ape", "mp2", "midi",
];

/// The format a file extension gives, lower or upper case ("MP3").
pub(crate) fn audio_ext(ext: &str) -> Option<OutputFormat> {
    AUDIO_EXTS
        .iter()
        .find(|(e, _)| e.eq_ignore_ascii_case(ext))
        .map(|(_, f)| *f)
}

/// Whether `word` names a format we make by itself ("mp3"; not "lossless compression").
pub(crate) fn is_format_word(word: &str) -> bool {
    FORMATS.iter().any(|(w, _)| *w == word)
}
