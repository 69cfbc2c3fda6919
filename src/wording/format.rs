//! Output format, quality, bitrate, sample rate, channels and loudness.

use super::spec::{Loudness, OutputFormat, Quality};
use super::text::Tok;
use super::{Ctx, Parse};

const FORMATS: &[(&str, OutputFormat)] = &[
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
];
const FORMAT_WORDS: &str = "mp3|m4a|aac|wav|wave|pcm|flac|ogg|vorbis|opus";

/// Words for "keep the audio as it is". "lossless" alone is here too, not FLAC: the untouched
/// stream loses nothing and costs nothing; "lossless flac" still gives FLAC, because a named
/// format always wins over these words.
const ORIGINAL: &str = "original|no re-encode|no re-encoding|no reencode|no reencoding|\
    without re-encoding|without reencoding|without re-encode|don't re-encode|dont re-encode|\
    do not re-encode|lossless|lossless copy|stream copy|copy the stream|copy the audio stream|\
    as is|as-is|untouched|unchanged|best|原始|原格式|原音质|原声|原音|不转码|不重新编码|无损";
/// After "original" these mean the source ("the original video"), not the format.
const SOURCE_NOUNS: &str = "video|file|upload|clip|recording|one|视频|文件|影片";

const HIGH: &str = "high quality|high-quality|hq|best quality|highest quality|top quality|\
    maximum quality|max quality|better quality|great quality|高音质|高质量|高品质|最高音质|最好的音质|最好音质|最佳音质|\
    最高质量|好音质";
const SMALL: &str = "small file|small files|smallest|small size|smaller|smaller file|low quality|\
    lower quality|tiny|compact|save space|low bitrate|compressed|小文件|文件小|体积小|小一点|最小|低音质|低质量|省空间|\
    压缩";
const VOICE: &str =
    "voice|speech|spoken|spoken word|talk|talking|dialogue|dialog|语音|讲话|说话|演讲|对话|\
    讲座";

const KBPS: &str = "kbps|kbit/s|kbits/s|kb/s|kbit|kbits|kb|k|kilobits|kilobit|kbs|kbit / s";
const BITRATE_WORDS: &str = "bitrate|bit rate|bit-rate|码率|比特率|位率";
const COMMON_KBPS: &[f64] = &[
    64.0, 80.0, 96.0, 112.0, 128.0, 160.0, 192.0, 224.0, 256.0, 320.0,
];
/// Units that make a number next to a format word something other than a bitrate.
pub(crate) const OTHER_UNITS: &str = "s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hour|\
    hours|hz|khz|channel|channels|x|%|秒|分|分钟|小时|声道|st|nd|rd|th|个|lufs";
const FILLER: &str = "of|at|to|is|=|:|为|是|a|about";

const KHZ: &str = "khz|k hz|kilohertz|千赫|千赫兹|k赫兹";
const HZ: &str = "hz|hertz|赫兹|赫";
const RATE_WORDS: &str =
    "sample rate|sampling rate|samplerate|sample-rate|sampling|采样率|采样频率|采样";
const STANDARD_RATES: &[f64] = &[
    8000.0, 11025.0, 16000.0, 22050.0, 24000.0, 32000.0, 44100.0, 48000.0, 88200.0, 96000.0,
    176400.0, 192000.0,
];

const MONO: &str = "mono|monaural|single channel|one channel|单声道|单通道";
const STEREO: &str = "stereo|two channels|dual channel|双声道|立体声";
const CHANNEL_UNITS: &str = "channel|channels|ch|-channel|声道|个声道|通道";

const NORMALIZE: &str = "normalize|normalise|normalized|normalised|normalizing|normalising|\
    normalization|normalisation|loudness|even out the volume|even out the loudness|标准化|响度|归一化";
const LUFS: &str = "lufs|lkfs|lu";
const DBTP: &str = "dbtp|db tp|db true peak|dbfs true peak";
const TRUE_PEAK: &str = "true peak|true-peak|peak|真峰值|峰值";

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
fn number_after(cx: &Ctx, mut i: usize, span: usize) -> Option<(usize, f64)> {
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

/// Sample rate: "48 kHz", "44100", "sample rate 48k", "44.1k". Runs before the bitrate, which
/// would otherwise read "48k" as 48 kbps.
pub(crate) fn sample_rate(cx: &mut Ctx) -> Parse {
    let mut found: Option<(usize, f64)> = None;
    for i in 0..cx.t.len() {
        let Some(n) = cx.t.num(i) else { continue };
        let hit = if let Some((_, u)) = cx.t.at_any(i + 1, KHZ) {
            Some((u, n * 1000.0))
        } else if let Some((_, u)) = cx.t.at_any(i + 1, HZ) {
            Some((u, n))
        } else if cx.t.at(i + 1, "k").is_some() && n.fract() != 0.0 {
            Some((1, n * 1000.0))
        } else if STANDARD_RATES.contains(&n) && cx.t.at_any(i + 1, KBPS).is_none() {
            Some((0, n))
        } else {
            None
        };
        if let Some((unit, hz)) = hit {
            cx.t.take(i, 1 + unit);
            found = found.or(Some((i, hz)));
        }
    }
    if let Some((w, n)) = cx.t.find_any(RATE_WORDS) {
        // "48k sample rate": the number just before the words.
        for (back, unit) in [(1, 0), (2, 1)] {
            let Some(j) = w.checked_sub(back) else {
                continue;
            };
            let unit_ok = unit == 0 || cx.t.at(j + 1, "k").is_some();
            if let Some(v) = cx.t.num(j).filter(|_| unit_ok) {
                cx.t.take(j, w + n - j);
                found = found.or(Some((j, if v < 1000.0 { v * 1000.0 } else { v })));
            }
        }
        if let Some((j, v)) = number_after(cx, w + n, 4) {
            let unit = cx.t.at_any(j + 1, "khz|k|hz|赫兹");
            let hz = if v < 1000.0 { v * 1000.0 } else { v };
            cx.t.take(w, j + 1 + unit.map_or(0, |u| u.1) - w);
            found = found.or(Some((j, hz)));
        }
    }
    if let Some((_, hz)) = found {
        if !(8000.0..=192_000.0).contains(&hz) {
            return Err(cx.say(
                format!("a sample rate of {hz} Hz (I can do 8 kHz to 192 kHz)"),
                format!("{hz} Hz 的采样率（可选 8 kHz 到 192 kHz）"),
            ));
        }
        cx.spec.sample_rate = Some(hz.round() as u32);
    }
    Ok(())
}

/// Bitrate: "192k", "128 kbps", "at 256 kbit/s", "bitrate 160", "mp3 320" (a bare number only
/// when it is a common bitrate right next to a format word).
pub(crate) fn bitrate(cx: &mut Ctx) -> Parse {
    let mut found: Option<f64> = None;
    for i in 0..cx.t.len() {
        let Some(n) = cx.t.num(i) else { continue };
        if let Some((_, u)) = cx.t.at_any(i + 1, KBPS) {
            cx.t.take(i, 1 + u);
            found = found.or(Some(n));
        } else if let Some((_, u)) = cx.t.at_any(i + 1, "mbps|mb/s|mbit/s") {
            cx.t.take(i, 1 + u);
            found = found.or(Some(n * 1000.0));
        }
    }
    if let Some((w, n)) = cx.t.find_any(BITRATE_WORDS) {
        if let Some((j, v)) = number_after(cx, w + n, 4) {
            cx.t.take(w, j + 1 - w);
            found = found.or(Some(v));
        } else if w > 0 && cx.t.num(w - 1).is_some() {
            found = found.or(cx.t.num(w - 1));
            cx.t.take(w - 1, n + 1);
        }
    }
    for i in 0..cx.t.len() {
        let Some((_, n)) = cx.t.at_any(i, FORMAT_WORDS) else {
            continue;
        };
        let at = usize::from(cx.t.at(i + n, "at").is_some());
        let before = i.checked_sub(1);
        for j in std::iter::once(i + n + at).chain(before) {
            let unit_follows = cx.t.at_any(j + 1, OTHER_UNITS).is_some();
            if let Some(v) = cx.t.num(j).filter(|v| COMMON_KBPS.contains(v)) {
                if !unit_follows {
                    cx.t.take(j, 1);
                    found = found.or(Some(v));
                }
            }
        }
    }
    let Some(kbps) = found else { return Ok(()) };
    let fmt = cx.spec.format;
    let (lo, hi, name) = match fmt {
        Some(OutputFormat::M4a) => (16.0, 512.0, "AAC"),
        Some(OutputFormat::Ogg) => (45.0, 500.0, "Ogg Vorbis"),
        Some(OutputFormat::Opus) => (6.0, 510.0, "Opus"),
        Some(f @ (OutputFormat::Wav | OutputFormat::Flac | OutputFormat::Original)) => {
            let label = f.label();
            return Err(cx.say(
                format!("a bitrate with {label} ({label} is not compressed to a bitrate; pick MP3, M4A, Ogg or Opus for that)"),
                format!("给 {label} 设置码率（{label} 没有码率设置；要指定码率请选 MP3、M4A、Ogg 或 Opus）"),
            ));
        }
        _ => (8.0, 320.0, "MP3"),
    };
    if kbps.fract() != 0.0 || !(lo..=hi).contains(&kbps) {
        return Err(cx.say(
            format!("{name} at {kbps} kbps ({name} goes from {lo} to {hi} kbps)"),
            format!("{kbps} kbps 的 {name}（{name} 的码率范围是 {lo} 到 {hi} kbps）"),
        ));
    }
    cx.spec.quality = Quality::Bitrate(kbps as u32);
    Ok(())
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
            let n = n.to_string();
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

/// Loudness normalisation: the podcast target unless LUFS or dBTP are given.
pub(crate) fn loudness(cx: &mut Ctx) -> Parse {
    let mut wanted = cx.t.has_any(NORMALIZE);
    let mut target = Loudness::PODCAST;
    for i in 0..cx.t.len() {
        let Some(n) = cx.t.num(i) else { continue };
        if let Some((_, u)) = cx.t.at_any(i + 1, LUFS) {
            target.integrated = -n.abs();
            cx.t.take(i, 1 + u);
            wanted = true;
        } else if let Some((_, u)) = cx.t.at_any(i + 1, DBTP) {
            target.true_peak = -n.abs();
            cx.t.take(i, 1 + u);
            wanted = true;
        }
    }
    for (words, is_peak) in [(LUFS, false), (TRUE_PEAK, true)] {
        if let Some((w, n)) = cx.t.find_any(words) {
            if let Some((j, v)) = number_after(cx, w + n, 4) {
                let unit = cx.t.at_any(j + 1, "db|dbtp|dbfs").map_or(0, |u| u.1);
                cx.t.take(w, j + 1 + unit - w);
                if is_peak {
                    target.true_peak = -v.abs();
                } else {
                    target.integrated = -v.abs();
                }
                wanted = true;
            }
        }
    }
    if !wanted {
        return Ok(());
    }
    if !(-70.0..=-5.0).contains(&target.integrated) {
        let l = target.integrated;
        return Err(cx.say(
            format!(
                "a loudness target of {l} LUFS (targets go from -70 to -5 LUFS; podcasts use -16)"
            ),
            format!("{l} LUFS 的响度目标（可选 -70 到 -5 LUFS；播客一般用 -16）"),
        ));
    }
    if !(-9.0..=0.0).contains(&target.true_peak) {
        let p = target.true_peak;
        return Err(cx.say(
            format!("a true-peak ceiling of {p} dBTP (it goes from -9 to 0 dBTP)"),
            format!("{p} dBTP 的真峰值上限（可选 -9 到 0 dBTP）"),
        ));
    }
    cx.spec.loudness = Some(target);
    Ok(())
}
