//! Realistic requests, written as people type them (English, Chinese and both mixed), each with
//! the outcome it must have: `tests/corpus/*.tsv`. One line per request; its first column is the
//! request, the others say what it must give:
//!
//! - `help`: nothing to act on; `refuse`: something the product cannot do, or a question back;
//! - otherwise the spec, field by field (fields not named keep their default, and the whole spec
//!   is compared): `extract` (all defaults), `fmt=mp3` (`m4a wav flac ogg opus original`),
//!   `q=192` (kbps) or `q=high|small|voice`, `sr=48000`, `ch=1`, `range=0:30..2:15` (an end
//!   left empty is "to the end"; a leading `-` counts from the end: `-1:00..` is the last
//!   minute), `loud=-16` or `loud=-14/-2` (LUFS / dBTP), `src=2` or `src=name:lecture.mp4`,
//!   `track=2` or `track=spa`, `name=episode 12`.
//!
//! Lines starting with `#` are comments. Every line is checked, and the failures are listed
//! together with the count, so the figure is the corpus's score.

use v2a_wording::{
    understand, ExtractionSpec, Intent, Loudness, OutputFormat, Quality, SourceSelector, TimePoint,
    TimeRange, TrackSelector,
};

const FILES: &[(&str, &str)] = &[
    ("en.tsv", include_str!("corpus/en.tsv")),
    ("zh.tsv", include_str!("corpus/zh.tsv")),
];

#[derive(Debug, PartialEq)]
enum Want {
    Help,
    Refuse,
    Spec(Box<ExtractionSpec>),
}

/// "1:02:03", "2:15", "0:30.5" → milliseconds.
fn clock(s: &str) -> u64 {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let secs = whole.split(':').fold(0u64, |acc, p| {
        acc * 60 + p.parse::<u64>().expect("clock part")
    });
    let frac_ms = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<3}").parse::<u64>().expect("fraction")
    };
    secs * 1000 + frac_ms
}

fn point(s: &str) -> TimePoint {
    match s.strip_prefix('-') {
        Some(before_end) => TimePoint::End(clock(before_end)),
        None => TimePoint::Start(clock(s)),
    }
}

fn want(fields: &[&str]) -> Want {
    match fields {
        ["help"] => return Want::Help,
        ["refuse"] => return Want::Refuse,
        _ => {}
    }
    let mut spec = ExtractionSpec::default();
    for field in fields {
        if *field == "extract" {
            continue;
        }
        let (key, value) = field.split_once('=').expect("key=value");
        match key {
            "fmt" => {
                spec.format = Some(
                    serde_json::from_value(serde_json::Value::String(value.into()))
                        .expect("a format"),
                )
            }
            "q" => {
                spec.quality = match value {
                    "high" => Quality::High,
                    "small" => Quality::Small,
                    "voice" => Quality::Voice,
                    kbps => Quality::Bitrate(kbps.parse().expect("kbps")),
                }
            }
            "sr" => spec.sample_rate = Some(value.parse().expect("Hz")),
            "ch" => spec.channels = Some(value.parse().expect("channels")),
            "range" => {
                let (a, b) = value.split_once("..").expect("start..end");
                spec.range = Some(TimeRange {
                    start: point(a),
                    end: (!b.is_empty()).then(|| point(b)),
                });
            }
            "loud" => {
                let (i, tp) = value.split_once('/').unwrap_or((value, "-1"));
                spec.loudness = Some(Loudness {
                    integrated: i.parse().expect("LUFS"),
                    true_peak: tp.parse().expect("dBTP"),
                });
            }
            "src" => {
                spec.source = match value.strip_prefix("name:") {
                    Some(name) => SourceSelector::Name(name.into()),
                    None => SourceSelector::Position(value.parse().expect("position")),
                }
            }
            "track" => {
                spec.track = match value.parse() {
                    Ok(n) => TrackSelector::Position(n),
                    Err(_) => TrackSelector::Language(value.into()),
                }
            }
            "name" => spec.output_name = Some(value.into()),
            other => panic!("unknown field {other}"),
        }
    }
    Want::Spec(Box::new(spec))
}

fn got(message: &str) -> Want {
    match understand(message) {
        Intent::Help => Want::Help,
        Intent::Unsupported { .. } => Want::Refuse,
        Intent::Extract { spec } => Want::Spec(Box::new(spec)),
    }
}

#[test]
fn the_corpus_of_realistic_requests() {
    let (mut total, mut wrong) = (0, Vec::new());
    for (file, text) in FILES {
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t').filter(|c| !c.is_empty());
            let request = cols.next().expect("a request");
            let fields: Vec<&str> = cols.collect();
            assert!(!fields.is_empty(), "{file}:{}: no expectation", n + 1);
            total += 1;
            let (want, got) = (want(&fields), got(request));
            if want != got {
                let said = match understand(request) {
                    Intent::Unsupported { reason } => format!("refused: {reason}"),
                    other => format!("{other:?}"),
                };
                wrong.push(format!(
                    "{file}:{} {request:?}\n    want {want:?}\n    got  {said}",
                    n + 1
                ));
            }
        }
    }
    assert!(total >= 300, "the corpus holds {total} requests");
    assert!(
        wrong.is_empty(),
        "{} of {total} requests understood; {} not:\n{}",
        total - wrong.len(),
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_notation_reads_as_meant() {
    let Want::Spec(s) = want(&["fmt=mp3", "range=-1:00..", "q=192", "name=episode 12"]) else {
        panic!("a spec")
    };
    assert_eq!(s.format, Some(OutputFormat::Mp3));
    assert_eq!(
        s.range,
        Some(TimeRange {
            start: TimePoint::End(60_000),
            end: None
        })
    );
    assert_eq!(s.quality, Quality::Bitrate(192));
    assert_eq!(s.output_name.as_deref(), Some("episode 12"));
    assert_eq!(clock("1:02:03.5"), 3_723_500);
}
