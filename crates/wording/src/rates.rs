//! Sample rate ("48 kHz", "44100", "采样率48k") and bitrate ("192k", "mp3 320", "码率128").

use super::format::number_after;
use super::formats::format_at;
use super::spec::{OutputFormat, Quality};
use super::text::Tok;
use super::{Ctx, Parse};
use v2a_protocol::text::Key;

const KBPS: &[&str] = &[
    "kbps", "kbit/s", "kbits/s", "kb/s", "kbit", "kbits", "kb", "k", "kilobits", "kilobit", "kbs",
    "kbit / s",
];
const BITRATE_WORDS: &[&str] = &["bitrate", "bit rate", "bit-rate", "码率", "比特率", "位率"];
const COMMON_KBPS: &[f64] = &[
    64.0, 80.0, 96.0, 112.0, 128.0, 160.0, 192.0, 224.0, 256.0, 320.0,
];
/// Units that make a number next to a format word something other than a bitrate.
pub(crate) const OTHER_UNITS: &[&str] = &[
    "s", "sec", "secs", "second", "seconds", "m", "min", "mins", "minute", "minutes", "h", "hour",
    "hours", "hz", "khz", "channel", "channels", "x", "%", "秒", "分", "分钟", "小时", "声道",
    "st", "nd", "rd", "th", "个", "lufs",
];
const KHZ: &[&str] = &["khz", "k hz", "kilohertz", "千赫", "千赫兹", "k赫兹"];
const HZ: &[&str] = &["hz", "hertz", "赫兹", "赫"];
const RATE_WORDS: &[&str] = &[
    "sample rate",
    "sampling rate",
    "samplerate",
    "sample-rate",
    "sampling",
    "采样率",
    "采样频率",
    "采样",
];
/// Sample rates in kHz, for "wav 48k".
const SAMPLE_K: &[f64] = &[
    8.0, 11.025, 16.0, 22.05, 24.0, 32.0, 44.1, 48.0, 88.2, 96.0, 192.0,
];
const STANDARD_RATES: &[f64] = &[
    8000.0, 11025.0, 16000.0, 22050.0, 24000.0, 32000.0, 44100.0, 48000.0, 88200.0, 96000.0,
    176400.0, 192000.0,
];

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
        } else if (STANDARD_RATES.contains(&n) || [11.025, 22.05, 44.1, 88.2].contains(&n))
            && cx.t.at_any(i + 1, KBPS).is_none()
            && cx.t.at_any(i + 1, OTHER_UNITS).is_none()
        {
            // 44100, or 44.1 alone: no bitrate or time is written like that.
            let n = if n < 1000.0 { n * 1000.0 } else { n };
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
            let unit = cx.t.at_any(j + 1, &["khz", "k", "hz", "赫兹"]);
            let hz = if v < 1000.0 { v * 1000.0 } else { v };
            cx.t.take(w, j + 1 + unit.map_or(0, |u| u.1) - w);
            found = found.or(Some((j, hz)));
        }
    }
    if let Some((_, hz)) = found {
        if !(8000.0..=192_000.0).contains(&hz) {
            let hz = super::number::Plain(hz);
            return Err(cx.say(Key::RefuseSampleRate, &[("hz", &hz.to_string())]));
        }
        cx.spec.sample_rate = Some(hz.round() as u32);
    }
    Ok(())
}

/// Bitrate: "192k", "128 kbps", "at 256 kbit/s", "bitrate 160", "mp3 320" (a bare number only
/// when it is a common bitrate right next to a format word).
pub(crate) fn bitrate(cx: &mut Ctx) -> Parse {
    let mut found: Option<f64> = None;
    // Written "48k": with WAV or FLAC, which have no bitrate, that is a sample rate.
    let mut plain_k = false;
    for i in 0..cx.t.len() {
        let Some(n) = cx.t.num(i) else { continue };
        if let Some((_, u)) = cx.t.at_any(i + 1, KBPS) {
            cx.t.take(i, 1 + u);
            plain_k |= found.is_none() && cx.t.toks[i + 1].text == "k";
            found = found.or(Some(n));
        } else if let Some((_, u)) = cx.t.at_any(i + 1, &["mbps", "mb/s", "mbit/s"]) {
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
        let Some((_, n)) = format_at(&cx.t, i) else {
            continue;
        };
        // "mp3 320", "mp3 at 320", "mp3, 320", "MP3 @ 320", "320 mp3".
        let sym = |k: usize| {
            matches!(
                cx.t.tok(k),
                Some(Tok::Sym(',' | '-' | '@' | ':' | '(' | '/'))
            )
        };
        let mut after = i + n;
        after += usize::from(sym(after));
        after += usize::from(cx.t.at(after, "at").is_some());
        let before = i
            .checked_sub(1)
            .map(|k| if sym(k) { k.saturating_sub(1) } else { k });
        for j in std::iter::once(after).chain(before) {
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
    // The bitrates each format takes are the protocol's table (v2a_protocol::formats).
    let format = fmt.unwrap_or(OutputFormat::Mp3);
    let (lo, hi, name) = match format.info().map(|i| (i.rates, i.label)) {
        Some((Some(rates), label)) => (f64::from(rates.kbps.0), f64::from(rates.kbps.1), label),
        Some((None, label)) => {
            if plain_k && cx.spec.sample_rate.is_none() && SAMPLE_K.contains(&kbps) {
                cx.spec.sample_rate = Some((kbps * 1000.0).round() as u32);
                return Ok(());
            }
            return Err(cx.say(Key::RefuseLosslessBitrate, &[("label", label)]));
        }
        None => {
            return Err(cx.say(Key::RefuseCopyBitrate, &[]));
        }
    };
    if kbps.fract() != 0.0 || !(lo..=hi).contains(&kbps) {
        use super::number::Plain;
        let (kbps, lo, hi) = (Plain(kbps), Plain(lo), Plain(hi));
        return Err(cx.say(
            Key::RefuseBitrateRange,
            &[
                ("name", name),
                ("kbps", &kbps.to_string()),
                ("lo", &lo.to_string()),
                ("hi", &hi.to_string()),
            ],
        ));
    }
    cx.spec.quality = Quality::Bitrate(kbps as u32);
    Ok(())
}
