//! The instruction the popup starts with and the context menu sends, made from the person's
//! default format and quality (the options page) in their language: "Extract the audio track
//! as MP3 in high quality", "提取音频，转成MP3，高音质". The request parser understands it in
//! either language (crates/wording/tests/default_instruction.rs); the extension reads every
//! one of them from `extension/formats.generated.js`.

use crate::formats::FORMATS;
use crate::text::{say, Key};
use crate::Lang;

/// The default qualities the options offer, by id; a number is a bitrate in kbit/s.
pub const DEFAULT_QUALITIES: &[&str] = &["default", "high", "small", "voice", "128", "192", "320"];

/// The format id that keeps the source's audio as it is.
pub const ORIGINAL: &str = "original";

/// The words that ask for `format` (an output format's extension, or [`ORIGINAL`]; an unknown
/// one is the first format's) in `lang`: "as MP3", "in original quality".
pub fn format_phrase(lang: Lang, format: &str) -> String {
    if format == ORIGINAL {
        return say(lang, Key::InstructionOriginal, &[]);
    }
    let info = FORMATS.iter().find(|f| f.extension() == format);
    let name = info.unwrap_or(&FORMATS[0]).name;
    say(lang, Key::InstructionAs, &[("format", name)])
}

/// The instruction for the default `format` (an output format's extension, or [`ORIGINAL`])
/// and `quality` (one of [`DEFAULT_QUALITIES`]) in `lang`. An unknown format is the first
/// format's; a quality the format cannot take (any for the original, a bitrate for a
/// lossless format: the parser would refuse either) is left out.
pub fn default_instruction(lang: Lang, format: &str, quality: &str) -> String {
    let how = format_phrase(lang, format);
    let lossless = format == ORIGINAL
        || FORMATS
            .iter()
            .find(|f| f.extension() == format)
            .unwrap_or(&FORMATS[0])
            .lossless();
    let bitrate = quality.parse::<u32>().ok();
    let phrase = match quality {
        _ if format == ORIGINAL || (lossless && bitrate.is_some()) => None,
        "high" => Some(say(lang, Key::InstructionHigh, &[])),
        "small" => Some(say(lang, Key::InstructionSmall, &[])),
        "voice" => Some(say(lang, Key::InstructionVoice, &[])),
        _ => bitrate.map(|k| say(lang, Key::InstructionBitrate, &[("kbps", &k.to_string())])),
    };
    match phrase {
        Some(quality) => say(
            lang,
            Key::InstructionWith,
            &[("how", &how), ("quality", &quality)],
        ),
        None => say(lang, Key::Instruction, &[("how", &how)]),
    }
}
