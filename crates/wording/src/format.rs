//! Output format, quality words and channels.

use super::formats::format_at;
use super::selectors::SOURCE_NOUNS;
use super::spec::{OutputFormat, Quality};
use super::text::Tok;
use super::{Ctx, Parse};
use v2a_protocol::text::Key;

/// Words for "keep the audio as it is". "lossless" alone is here too, not FLAC: the untouched
/// stream loses nothing and costs nothing; "lossless flac" still gives FLAC, because a named
/// format always wins over these words.
const ORIGINAL: &[&str] = &[
    "original",
    "no re-encode",
    "no re-encoding",
    "no reencode",
    "no reencoding",
    "without re-encoding",
    "without reencoding",
    "without re-encode",
    "don't re-encode",
    "dont re-encode",
    "do not re-encode",
    "lossless",
    "lossless copy",
    "stream copy",
    "copy the stream",
    "copy the audio stream",
    "as is",
    "as-is",
    "untouched",
    "unchanged",
    "best",
    "原始",
    "原格式",
    "原音质",
    "原声",
    "原音",
    "不转码",
    "不重新编码",
    "无损",
];
/// Quality words. Voice: only words about the sound itself ("my talk" or "the lecture" name the
/// video, not a setting).
const QUALITY_WORDS: &[(&str, Quality)] = &[
    ("high quality", Quality::High),
    ("high bitrate", Quality::High),
    ("higher bitrate", Quality::High),
    ("音质要好", Quality::High),
    ("音质要高", Quality::High),
    ("码率高", Quality::High),
    ("高码率", Quality::High),
    ("高一点", Quality::High),
    ("好一点", Quality::High),
    ("v0", Quality::High),
    ("vbr v0", Quality::High),
    ("q10", Quality::High),
    ("越高越好", Quality::High),
    ("音质越高", Quality::High),
    ("尽量高", Quality::High),
    ("最好的音质", Quality::High),
    ("最佳的音质", Quality::High),
    ("highest bitrate", Quality::High),
    ("maximum bitrate", Quality::High),
    ("max bitrate", Quality::High),
    ("best bitrate", Quality::High),
    ("音质好", Quality::High),
    ("音质高", Quality::High),
    ("最高码率", Quality::High),
    ("high-quality", Quality::High),
    ("hq", Quality::High),
    ("best quality", Quality::High),
    ("highest quality", Quality::High),
    ("top quality", Quality::High),
    ("maximum quality", Quality::High),
    ("max quality", Quality::High),
    ("better quality", Quality::High),
    ("great quality", Quality::High),
    ("高音质", Quality::High),
    ("高质量", Quality::High),
    ("高品质", Quality::High),
    ("最高音质", Quality::High),
    ("最好的音质", Quality::High),
    ("最好音质", Quality::High),
    ("最佳音质", Quality::High),
    ("最高质量", Quality::High),
    ("好音质", Quality::High),
    ("small file", Quality::Small),
    ("越小越好", Quality::Small),
    ("尽量小", Quality::Small),
    ("lowest bitrate", Quality::Small),
    ("最低码率", Quality::Small),
    ("small files", Quality::Small),
    ("smallest", Quality::Small),
    ("small size", Quality::Small),
    ("smaller", Quality::Small),
    ("smaller file", Quality::Small),
    ("low quality", Quality::Small),
    ("lower quality", Quality::Small),
    ("tiny", Quality::Small),
    ("compact", Quality::Small),
    ("save space", Quality::Small),
    ("low bitrate", Quality::Small),
    ("不要太大", Quality::Small),
    ("别太大", Quality::Small),
    ("lowest quality", Quality::Small),
    ("worst quality", Quality::Small),
    ("minimum quality", Quality::Small),
    ("码率低", Quality::Small),
    ("低码率", Quality::Small),
    ("small enough", Quality::Small),
    ("small as possible", Quality::Small),
    ("file small", Quality::Small),
    ("size small", Quality::Small),
    ("small mp3", Quality::Small),
    ("small m4a", Quality::Small),
    ("small ogg", Quality::Small),
    ("small opus", Quality::Small),
    ("small audio", Quality::Small),
    ("email", Quality::Small),
    ("e-mail", Quality::Small),
    ("whatsapp", Quality::Small),
    ("wechat", Quality::Small),
    ("小到", Quality::Small),
    ("发邮件", Quality::Small),
    ("邮件", Quality::Small),
    ("微信", Quality::Small),
    ("lower bitrate", Quality::Small),
    ("lower the bitrate", Quality::Small),
    ("compressed", Quality::Small),
    ("小文件", Quality::Small),
    ("文件小", Quality::Small),
    ("体积小", Quality::Small),
    ("小一点", Quality::Small),
    ("最小", Quality::Small),
    ("低音质", Quality::Small),
    ("低质量", Quality::Small),
    ("省空间", Quality::Small),
    ("voice", Quality::Voice),
    ("speech", Quality::Voice),
    ("spoken", Quality::Voice),
    ("spoken word", Quality::Voice),
    ("语音", Quality::Voice),
    ("讲话", Quality::Voice),
    ("说话", Quality::Voice),
    ("人声优化", Quality::Voice),
];

const FILLER: &[&str] = &["of", "at", "to", "is", "=", ":", "为", "是", "a", "about"];

/// Channel counts said in words.
const CHANNEL_WORDS: &[(&str, u32)] = &[
    ("mono", 1),
    ("monaural", 1),
    ("single channel", 1),
    ("one channel", 1),
    ("单声道", 1),
    ("单通道", 1),
    ("stereo", 2),
    ("two channels", 2),
    ("dual channel", 2),
    ("双声道", 2),
    ("立体声", 2),
];
const CHANNEL_UNITS: &[&str] = &[
    "channel",
    "channels",
    "ch",
    "-channel",
    "声道",
    "个声道",
    "通道",
];

/// Format words, where named; the first named format wins ("mp3 or wav" → MP3), and one right
/// after "from" is skipped because it names the source ("from wav to mp3").
pub(crate) fn format(cx: &mut Ctx) -> Parse {
    // "convert 2 mp3": a bare "2" between a word and a format is "to".
    for i in 1..cx.t.len() {
        let t = &cx.t;
        let two = t.num(i) == Some(2.0) && t.toks[i].text == "2";
        if two && matches!(t.tok(i - 1), Some(Tok::Word(_))) && format_at(t, i + 1).is_some() {
            cx.t.take(i, 1);
        }
    }
    let t = &cx.t;
    let mut concrete = None;
    let mut original = false;
    for i in 0..t.len() {
        let after_from = i > 0 && t.at_any(i - 1, &["from", "从"]).is_some();
        if concrete.is_none() && !after_from {
            concrete = format_at(t, i).map(|(f, _)| f);
        }
        if let Some((_, n)) = t.at_any(i, ORIGINAL) {
            // "best quality" is a quality ("high"), not the untouched stream.
            let best_quality =
                t.at(i, "best").is_some() && t.at_any(i + 1, &["quality", "音质"]).is_some();
            original |= t.at_any(i + n, SOURCE_NOUNS).is_none() && !best_quality;
        }
    }
    cx.spec.format = concrete
        .or(cx.name_format)
        .or(original.then_some(OutputFormat::Original));
    Ok(())
}

/// Quality words: the first one said wins; an explicit bitrate beats them all.
pub(crate) fn quality(cx: &mut Ctx) -> Parse {
    if cx.spec.quality != Quality::Default {
        return Ok(());
    }
    if let Some((_, q, _)) = cx.t.find(QUALITY_WORDS) {
        cx.spec.quality = q;
    }
    Ok(())
}

/// The first unused number within `span` tokens after `i`, skipping filler words; with the
/// index of the token after it.
pub(crate) fn number_after(cx: &Ctx, mut i: usize, span: usize) -> Option<(usize, f64)> {
    let end = i + span;
    while i < end.min(cx.t.len()) {
        if let Some(n) = cx.t.num(i) {
            let negative = i > 0 && cx.t.tok(i - 1) == Some(&Tok::Sym('-'));
            return Some((i, if negative { -n } else { n }));
        }
        i += cx.t.at_any(i, FILLER).map_or(1, |(_, n)| n);
    }
    None
}

/// Mono or stereo; the first one said wins.
pub(crate) fn channels(cx: &mut Ctx) -> Parse {
    let mut first: Option<(usize, u32)> = None;
    let mut note = |i: usize, c: u32| {
        if first.map_or(true, |(j, _)| i < j) {
            first = Some((i, c));
        }
    };
    if let Some((i, c, _)) = cx.t.find(CHANNEL_WORDS) {
        note(i, c);
    }
    for i in 0..cx.t.len() {
        let Some(n) = cx.t.num(i) else { continue };
        let Some((_, u)) = cx.t.at_any(i + 1, CHANNEL_UNITS) else {
            continue;
        };
        if n != 1.0 && n != 2.0 {
            let n = super::number::Plain(n).to_string();
            return Err(cx.say(Key::RefuseChannels, &[("n", &n.to_string())]));
        }
        cx.t.take(i, 1 + u);
        note(i, n as u32);
    }
    cx.spec.channels = first.map(|(_, c)| c);
    Ok(())
}
