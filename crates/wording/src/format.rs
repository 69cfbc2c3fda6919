//! Output format, quality words and channels.

use super::spec::{OutputFormat, Quality};
use super::text::Tok;
use super::{Ctx, Parse};

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
/// The words of [`FORMATS`], in the same order, for matching.
pub(crate) const FORMAT_WORDS: &str =
    "mp3|m4a|aac|wav|wave|pcm|flac|ogg|vorbis|opus|lossless compression|无损压缩";

/// Words for "keep the audio as it is". "lossless" alone is here too, not FLAC: the untouched
/// stream loses nothing and costs nothing; "lossless flac" still gives FLAC, because a named
/// format always wins over these words.
const ORIGINAL: &str = "original|no re-encode|no re-encoding|no reencode|no reencoding|\
    without re-encoding|without reencoding|without re-encode|don't re-encode|dont re-encode|\
    do not re-encode|lossless|lossless copy|stream copy|copy the stream|copy the audio stream|\
    as is|as-is|untouched|unchanged|best|原始|原格式|原音质|原声|原音|不转码|不重新编码|无损";
/// After "original" these mean the source ("the original video"), not the format.
const SOURCE_NOUNS: &str = "video|file|upload|clip|recording|one|视频|文件|影片";

const HIGH: &str = "high quality|v0|vbr v0|q10|越高越好|音质越高|尽量高|最好的音质|最佳的音质|highest bitrate|maximum bitrate|max bitrate|best bitrate|音质好|音质高|最高码率|high-quality|hq|best quality|highest quality|top quality|\
    maximum quality|max quality|better quality|great quality|高音质|高质量|高品质|最高音质|最好的音质|最好音质|最佳音质|\
    最高质量|好音质";
const SMALL: &str = "small file|越小越好|尽量小|lowest bitrate|最低码率|small files|smallest|small size|smaller|smaller file|low quality|\
    lower quality|tiny|compact|save space|low bitrate|lower bitrate|lower the bitrate|compressed|小文件|文件小|体积小|小一点|最小|低音质|低质量|省空间";
/// Only words about the sound itself: "my talk" or "the lecture" name the video, not a setting.
const VOICE: &str = "voice|speech|spoken|spoken word|语音|讲话|说话|人声优化";

const FILLER: &str = "of|at|to|is|=|:|为|是|a|about";

const MONO: &str = "mono|monaural|single channel|one channel|单声道|单通道";
const STEREO: &str = "stereo|two channels|dual channel|双声道|立体声";
const CHANNEL_UNITS: &str = "channel|channels|ch|-channel|声道|个声道|通道";

/// Format words, where named; the first named format wins ("mp3 or wav" → MP3), and one right
/// after "from" is skipped because it names the source ("from wav to mp3").
pub(crate) fn format(cx: &mut Ctx) -> Parse {
    let t = &cx.t;
    let mut concrete = None;
    let mut original = false;
    for i in 0..t.len() {
        let after_from = i > 0 && t.at_any(i - 1, "from|从").is_some();
        if concrete.is_none() && !after_from {
            if let Some((k, _)) = t.at_any(i, FORMAT_WORDS) {
                concrete = Some(FORMATS[k].1);
            }
        }
        if let Some((k, n)) = t.at_any(i, ORIGINAL) {
            // "best quality" is a quality ("high"), not the untouched stream.
            let best_quality = ORIGINAL.split('|').nth(k) == Some("best")
                && t.at_any(i + 1, "quality|音质").is_some();
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
    let kinds = [
        (HIGH, Quality::High),
        (SMALL, Quality::Small),
        (VOICE, Quality::Voice),
    ];
    let first = kinds
        .iter()
        .filter_map(|(words, q)| cx.t.find_any(words).map(|(i, _)| (i, *q)))
        .min_by_key(|(i, _)| *i);
    if let Some((_, q)) = first {
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
    if let Some((i, _)) = cx.t.find_any(MONO) {
        note(i, 1);
    }
    if let Some((i, _)) = cx.t.find_any(STEREO) {
        note(i, 2);
    }
    for i in 0..cx.t.len() {
        let Some(n) = cx.t.num(i) else { continue };
        let Some((_, u)) = cx.t.at_any(i + 1, CHANNEL_UNITS) else {
            continue;
        };
        if n != 1.0 && n != 2.0 {
            let n = super::number::Plain(n).to_string();
            return Err(cx.say(
                format!("{n} audio channels (I can make mono or stereo)"),
                format!("{n} 个声道（我能输出单声道或立体声）"),
            ));
        }
        cx.t.take(i, 1 + u);
        note(i, n as u32);
    }
    cx.spec.channels = first.map(|(_, c)| c);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{FORMATS, FORMAT_WORDS};

    #[test]
    fn format_words_follow_the_table() {
        let words: Vec<&str> = FORMAT_WORDS.split('|').collect();
        let table: Vec<&str> = FORMATS.iter().map(|f| f.0).collect();
        assert_eq!(words, table);
    }
}
