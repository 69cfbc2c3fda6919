//! Which audio track and which part of the file a spec names.

use v2a_protocol::AudioStream;
use v2a_wording::{ExtractionSpec, TimePoint, TrackSelector};

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
        TrackSelector::Language(wanted) => streams
            .iter()
            .find(|s| {
                s.language
                    .as_deref()
                    .is_some_and(|l| v2a_wording::language_matches(wanted, l))
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
            }),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(index: u32, language: &str) -> AudioStream {
        AudioStream {
            index,
            codec: "aac".into(),
            channels: 2,
            sample_rate: 48_000,
            language: Some(language.into()),
            bit_rate: None,
        }
    }

    #[test]
    fn a_language_matches_under_any_of_its_codes() {
        // The parser says "ell" for Greek; MKV files often carry the bibliographic "gre".
        let streams = [stream(0, "eng"), stream(1, "gre"), stream(2, "fre")];
        let pick =
            |l: &str| select_track(&streams, &TrackSelector::Language(l.into())).map(|s| s.index);
        assert_eq!(pick("ell").ok(), Some(1));
        assert_eq!(pick("fra").ok(), Some(2));
        assert_eq!(pick("en").ok(), Some(0));
        let missing = pick("spa").expect_err("no Spanish track");
        assert!(
            missing.to_string().contains("no audio track in 'spa'"),
            "{missing}"
        );
    }
}
