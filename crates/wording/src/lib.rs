//! Understanding a request in plain words (English and Simplified Chinese), deterministically.
//!
//! [`understand`] turns a message into an [`Intent`]; [`summary`] renders a spec for people
//! ("MP3 · 192 kbps · 0:30–2:15"); [`route`] is the reference's keyword routing table; the
//! `*_text` functions are the replies the server sends.
//!
//! How a message is read, in order:
//! 1. links are ignored, and names (the output name, an upload's file name) are taken out as
//!    typed (`names.rs`), so "call it translation notes" is not refused as a translation;
//! 2. a purpose around a clear request ("WAV for my subtitles tool") is set aside
//!    (`purpose.rs`), then anything we cannot do is refused, even when a format is named too
//!    (`refuse.rs`);
//! 3. upload and track, loudness, sample rate, channels, time range, format, bitrate and quality
//!    words are read, each marking the words it used so that "2" in "track 2" is not also a
//!    bitrate;
//! 4. a number nothing understood ("mp3 at 150") is refused with a question rather than
//!    ignored; a message with nothing to act on is [`Intent::Help`].
//!
//! Decisions where wording is ambiguous:
//! - Conflicts go to the first said: "mp3 or wav" → MP3, "mono or stereo" → mono, the first
//!   bitrate. A named format beats "original"/"lossless", an explicit bitrate beats quality
//!   words, and the extension of an output name ("save as x.wav") counts only when no format is
//!   named. A format right after "from" names the source ("from wav to mp3" → MP3). A file
//!   name with an extension ("extract long.wav as mp3") picks the upload by name and says
//!   nothing about the format; only after "to"/"as" ("convert to short.mp3") is it the result's.
//! - "lossless", "无损", "original", "best" (alone), "no re-encode" → [`OutputFormat::Original`]:
//!   the untouched stream loses nothing. "lossless flac" / "无损压缩" → FLAC; "best quality" →
//!   [`Quality::High`].
//! - "48k" is 48 kbps, unless next to "Hz"/"sample rate"/"采样率" or said with WAV or FLAC
//!   (which have no bitrate); "44.1k" (a fraction) is always a sample rate. A bare number is a
//!   bitrate only when it is a common one (64…320) right next to a format word ("mp3 320").
//! - Bare numbers are times only inside a range after "from"/"between" ("from 10 to 20" →
//!   0:10–0:20) or next to a number with a unit ("30 to 90 seconds").
//! - "skip/remove/without/去掉 the first 10 s" drops it; "only/keep the first 10 s" keeps it;
//!   "cut the first 10 s" could be either, so it is asked back.
//! - One upload, one track, one range per request: "both videos", "all tracks", two ranges or
//!   "split into chunks" are refused with what to say instead.
//! - Track languages become ISO 639-2 codes ("spa", "fra", "zho"); [`language_matches`] compares
//!   them with whatever tag ffprobe reports ("fre", "chi", "en").

use v2a_protocol::spec;

mod duration;
mod file_names;
mod format;
mod formats;
mod languages;
mod loudness;
mod name_text;
mod names;
mod number;
mod purpose;
mod rates;
mod refuse;
mod replies;
mod rewrite;
mod route;
mod selectors;
mod summary;
mod text;
mod time;
mod time_words;
mod tokens;

pub use languages::language_matches;
pub use replies::{detect_lang, help_text, is_chinese, unsupported_text, Lang};
pub use rewrite::with_format;
pub use route::route;
pub use summary::summary_in;
pub use v2a_protocol::spec::*;

use text::Tok;
use tokens::Tokens;
use v2a_protocol::text::Key;

/// The state of one message being read.
pub(crate) struct Ctx {
    t: Tokens,
    lang: Lang,
    spec: ExtractionSpec,
    /// Format given by the output name's extension.
    name_format: Option<OutputFormat>,
    /// Something was asked that leaves the spec at its default ("from 0:00 to the end").
    asked: bool,
}

impl Ctx {
    /// A reason in the message's language, from the keyed catalog.
    fn say(&self, key: Key, args: &[(&str, &str)]) -> String {
        v2a_protocol::text::say(self.lang, key, args)
    }
}

/// A parser's outcome: `Err` holds the reason for [`Intent::Unsupported`].
pub(crate) type Parse = Result<(), String>;

/// Words that ask for audio by themselves ("extract the audio", "get the sound", "提取音频").
const CUES: &[&str] = &[
    "remove the video",
    "remove video",
    "strip the video",
    "strip video",
    "delete the video",
    "drop the video",
    "no video",
    "without video",
    "不要视频",
    "去掉视频",
    "不要画面",
    "去掉画面",
    "extract",
    "extraction",
    "extracting",
    "convert",
    "conversion",
    "converting",
    "rip",
    "audio",
    "sound",
    "soundtrack",
    "music",
    "song",
    "提取",
    "音频",
    "声音",
    "音乐",
    "转换",
    "转成",
    "转为",
    "转码",
    "抽取",
    "音轨",
    "声轨",
];

/// Understand a message. Never guesses silently: what it cannot do becomes
/// [`Intent::Unsupported`], and a message with nothing to act on becomes [`Intent::Help`].
pub fn understand(message: &str) -> Intent {
    understand_in(message, detect_lang(message))
}

/// [`understand`], with the reasons of refusals written in `lang` (for a session whose
/// language is set, whatever the message's own language).
pub fn understand_in(message: &str, lang: Lang) -> Intent {
    match read(message, lang) {
        Ok(Some(spec)) => Intent::Extract { spec },
        Ok(None) => Intent::Help,
        Err(reason) => Intent::Unsupported { reason },
    }
}

/// The spec, `None` when nothing asks for audio, or the reason it cannot be done.
fn read(message: &str, lang: Lang) -> Result<Option<ExtractionSpec>, String> {
    let found = names::names(message);
    let t = Tokens::new(&found.rest);
    let mut cx = Ctx {
        t,
        lang,
        spec: ExtractionSpec::default(),
        name_format: found.output_format,
        asked: false,
    };
    if let Some(ext) = &found.video_extension {
        return Err(cx.say(Key::RefuseVideoName, &[("ext", ext)]));
    }
    purpose::set_aside(&mut cx.t, CUES);
    if let Some(reason) = refuse::refusal(&cx.t, lang) {
        return Err(reason);
    }
    selectors::selectors(&mut cx)?;
    loudness::loudness(&mut cx)?;
    rates::sample_rate(&mut cx)?;
    format::channels(&mut cx)?;
    time::range(&mut cx)?;
    if cx.spec.range.is_none() {
        if let Some(reason) = refuse::vague_part(&cx.t, lang) {
            return Err(reason);
        }
    }
    format::format(&mut cx)?;
    rates::bitrate(&mut cx)?;
    format::quality(&mut cx)?;
    cx.spec.output_name = found.output;
    if let Some(name) = found.source {
        cx.spec.source = SourceSelector::Name(name);
    }
    stray_number(&cx)?;
    if !cx.asked && !cx.t.has_any(CUES) && cx.spec == ExtractionSpec::default() {
        return Ok(None);
    }
    Ok(Some(cx.spec))
}

/// A number no parser understood is a question, not something to ignore: "mp3 at 150".
fn stray_number(cx: &Ctx) -> Parse {
    for (i, tok) in cx.t.toks.iter().enumerate() {
        if tok.tok == Tok::Sym('#') && tok.text.contains(':') {
            let what = &tok.text;
            return Err(cx.say(Key::RefuseUnreadableTime, &[("what", what)]));
        }
        let number =
            matches!(tok.tok, Tok::Num(_) if !tok.spelled) || matches!(tok.tok, Tok::Clock(_));
        // "I have 2 videos" counts things; it asks for nothing.
        let counts =
            cx.t.at_any(
                i + 1,
                &[
                    "videos",
                    "files",
                    "clips",
                    "uploads",
                    "tracks",
                    "times",
                    "个视频",
                    "个文件",
                ],
            )
            .is_some();
        if number && !cx.t.used[i] && !counts {
            let with_unit = matches!(cx.t.tok(i + 1), Some(Tok::Word(_) | Tok::Han(_)));
            let what = cx.t.text(i, i + 1 + usize::from(with_unit));
            return Err(cx.say(Key::RefuseStrayNumber, &[("what", &what)]));
        }
    }
    Ok(())
}

/// Short description of a spec for people, for example "MP3 · 192 kbps · 0:30–2:15".
pub fn summary(spec: &ExtractionSpec) -> String {
    summary_in(spec, Lang::En)
}
