//! Which audio track and which part of the file a spec names.

use video_to_audio::protocol::AudioStream;
use video_to_audio::wording::{ExtractionSpec, TimePoint, TrackSelector};

use super::plan::clock;
use super::MediaError;

/// The audio stream a selector names.
pub fn select_track<'a>(
    streams: &'a [AudioStream],
    selector: &TrackSelector,
) -> Result<&'a AudioStream, MediaError> {
    if streams.is_empty() {
        return Err(MediaError::NoAudio);
    }
    let count = streams.len();
    let tracks = if count == 1 {
        "1 audio track".to_string()
    } else {
        format!("{count} audio tracks")
    };
    match selector {
        TrackSelector::Default => Ok(&streams[0]),
        TrackSelector::Position(n) => usize::try_from(*n)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| streams.get(i))
            .ok_or_else(|| {
                MediaError::NoSuchTrack(format!("This file has {tracks}; there is no track {n}."))
            }),
        TrackSelector::Language(wanted) => {
            let wanted = language_code(wanted);
            streams
                .iter()
                .find(|s| {
                    s.language.as_deref().map(language_code).as_deref() == Some(wanted.as_str())
                })
                .ok_or_else(|| {
                    let list: Vec<String> = streams
                        .iter()
                        .map(|s| {
                            format!(
                                "{} {}",
                                s.index + 1,
                                s.language.as_deref().unwrap_or("no language")
                            )
                        })
                        .collect();
                    MediaError::NoSuchTrack(format!(
                        "This file has no audio track in '{wanted}'; its {tracks}: {}.",
                        list.join(", ")
                    ))
                })
        }
    }
}

/// A language code or English name normalised to ISO 639-2/B where known ("en" → "eng").
pub fn language_code(language: &str) -> String {
    let lower = language.trim().to_ascii_lowercase();
    const TABLE: &[(&str, &[&str])] = &[
        ("eng", &["en", "english"]),
        ("spa", &["es", "spanish", "español", "espanol"]),
        ("fre", &["fr", "fra", "french", "français", "francais"]),
        ("ger", &["de", "deu", "german", "deutsch"]),
        ("ita", &["it", "italian"]),
        ("por", &["pt", "portuguese"]),
        ("rus", &["ru", "russian"]),
        ("chi", &["zh", "zho", "cmn", "chinese", "mandarin"]),
        ("jpn", &["ja", "japanese"]),
        ("kor", &["ko", "korean"]),
        ("ara", &["ar", "arabic"]),
        ("hin", &["hi", "hindi"]),
        ("dut", &["nl", "nld", "dutch"]),
    ];
    TABLE
        .iter()
        .find(|(code, aliases)| *code == lower || aliases.contains(&lower.as_str()))
        .map(|(code, _)| (*code).to_string())
        .unwrap_or(lower)
}

/// The spec's range in seconds, or the whole file.
pub fn resolve_range(duration: f64, spec: &ExtractionSpec) -> Result<(f64, f64), MediaError> {
    let Some(range) = spec.range else {
        return if duration > 0.0 {
            Ok((0.0, duration))
        } else {
            Err(MediaError::EmptyRange(
                "This file's length could not be read, so no audio can be taken from it.".into(),
            ))
        };
    };
    range.resolve(duration).ok_or_else(|| {
        let long = clock(duration);
        let message = match range.start {
            TimePoint::Start(ms) if ms as f64 / 1000.0 >= duration => format!(
                "The time range starts at {}, but this file is only {long} long; pick a range inside 0:00–{long}.",
                clock(ms as f64 / 1000.0)
            ),
            _ => format!("That time range holds no audio in this file, which is {long} long; pick a range inside 0:00–{long}."),
        };
        MediaError::EmptyRange(message)
    })
}
