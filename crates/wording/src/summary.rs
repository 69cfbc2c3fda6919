//! A spec in a few words for people: "MP3 · 192 kbps · 0:30–2:15".

use super::languages::language_name;
use super::replies::Lang;
use super::spec::{
    ExtractionSpec, OutputFormat, Quality, SourceSelector, TimePoint, TrackSelector,
};

use v2a_protocol::units::clock;

/// A length: seconds under a minute ("30 s"), else a clock ("1:00").
fn length(ms: u64, lang: Lang) -> String {
    if ms < 60_000 {
        let s = clock(ms);
        let s = s.trim_start_matches("0:").trim_start_matches('0');
        let s = if s.is_empty() || s.starts_with('.') {
            format!("0{s}")
        } else {
            s.to_string()
        };
        match lang {
            Lang::En => format!("{s} s"),
            Lang::Zh => format!("{s} 秒"),
        }
    } else {
        clock(ms)
    }
}

/// A number without a needless ".0".
fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        super::number::Plain(v).to_string()
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn range(start: TimePoint, end: Option<TimePoint>, lang: Lang) -> String {
    use TimePoint::{End, Start};
    let zh = lang == Lang::Zh;
    match (start, end) {
        (Start(0), Some(Start(b))) if zh => format!("前 {}", length(b, lang)),
        (Start(0), Some(Start(b))) => format!("first {}", length(b, lang)),
        (Start(a), Some(Start(b))) => format!("{}–{}", clock(a), clock(b)),
        (Start(a), None) if zh => format!("{}–结尾", clock(a)),
        (Start(a), None) => format!("{}–end", clock(a)),
        (End(a), None) if zh => format!("最后 {}", length(a, lang)),
        (End(a), None) => format!("last {}", length(a, lang)),
        (Start(0), Some(End(b))) if zh => format!("去掉最后 {}", length(b, lang)),
        (Start(0), Some(End(b))) => format!("all but the last {}", length(b, lang)),
        (Start(a), Some(End(b))) if zh => format!("{}–结尾前 {}", clock(a), length(b, lang)),
        (Start(a), Some(End(b))) => format!("{}–{} before the end", clock(a), length(b, lang)),
        (End(a), Some(End(b))) if zh => {
            format!("结尾前 {}–结尾前 {}", length(a, lang), length(b, lang))
        }
        (End(a), Some(End(b))) => {
            format!(
                "{} before the end–{} before the end",
                length(a, lang),
                length(b, lang)
            )
        }
        (End(a), Some(Start(b))) if zh => format!("结尾前 {}–{}", length(a, lang), clock(b)),
        (End(a), Some(Start(b))) => format!("{} before the end–{}", length(a, lang), clock(b)),
    }
}

/// [`summary`](super::summary) in either language.
pub fn summary_in(spec: &ExtractionSpec, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut parts: Vec<String> = Vec::new();
    // The server's rule: without a format, or with "original", the audio stays in the video's
    // own format family, copied untouched unless something about the sound must change.
    let changes = spec.needs_reencode();
    let format = match (spec.format, changes, zh) {
        (Some(OutputFormat::Original), false, true) => "原始音质（不重新编码）".to_string(),
        (Some(OutputFormat::Original), false, false) => "Original quality (no re-encode)".into(),
        (Some(OutputFormat::Original), true, true) => "原格式，最高音质".into(),
        (Some(OutputFormat::Original), true, false) => "Original format, best quality".into(),
        (Some(f), _, _) => f.label().to_string(),
        (None, false, true) => "原始音频（不重新编码）".into(),
        (None, false, false) => "Original audio (no re-encode)".into(),
        (None, true, true) => "原格式".into(),
        (None, true, false) => "Original format".into(),
    };
    parts.push(format);
    match spec.quality {
        Quality::Default => {}
        Quality::Bitrate(k) => parts.push(format!("{k} kbps")),
        Quality::High => parts.push(if zh { "高音质" } else { "high quality" }.into()),
        Quality::Small => parts.push(if zh { "小文件" } else { "small file" }.into()),
        Quality::Voice => parts.push(
            if zh {
                "语音优化"
            } else {
                "tuned for speech"
            }
            .into(),
        ),
    }
    if let Some(hz) = spec.sample_rate {
        parts.push(format!("{} kHz", num(f64::from(hz) / 1000.0)));
    }
    match spec.channels {
        None => {}
        Some(1) => parts.push(if zh { "单声道" } else { "mono" }.into()),
        Some(2) => parts.push(if zh { "立体声" } else { "stereo" }.into()),
        Some(n) if zh => parts.push(format!("{n} 声道")),
        Some(n) => parts.push(format!("{n} channels")),
    }
    if let Some(r) = spec.range {
        parts.push(range(r.start, r.end, lang));
    }
    if let Some(l) = spec.loudness {
        let mut s = if zh {
            format!("响度标准化到 {} LUFS", num(l.integrated))
        } else {
            format!("normalised to {} LUFS", num(l.integrated))
        };
        if l.true_peak != -1.0 {
            s.push_str(&format!(", {} dBTP", num(l.true_peak)));
        }
        parts.push(s);
    }
    match &spec.track {
        TrackSelector::Default => {}
        TrackSelector::Position(n) if zh => parts.push(format!("音轨 {n}")),
        TrackSelector::Position(n) => parts.push(format!("track {n}")),
        TrackSelector::Language(code) => parts.push(match (language_name(code, lang), zh) {
            (Some(name), true) => format!("{name}音轨"),
            (Some(name), false) => format!("{name} track"),
            (None, true) => format!("“{code}”音轨"),
            (None, false) => format!("“{code}” track"),
        }),
    }
    match &spec.source {
        SourceSelector::Latest => {}
        SourceSelector::Position(n) if zh => parts.push(format!("第 {n} 个上传的视频")),
        SourceSelector::Position(n) => parts.push(format!("from the {} upload", ordinal(*n))),
        SourceSelector::Name(name) if zh => parts.push(format!("来自 {name}")),
        SourceSelector::Name(name) => parts.push(format!("from {name}")),
    }
    if let Some(name) = &spec.output_name {
        // Without a named format the extension depends on the video's codec.
        let ext = match spec.format {
            Some(OutputFormat::Original) | None => None,
            Some(f) => Some(f.extension()),
        };
        parts.push(match ext {
            Some(ext) => format!("→ {name}.{ext}"),
            None => format!("→ {name}"),
        });
    }
    parts.join(" · ")
}
