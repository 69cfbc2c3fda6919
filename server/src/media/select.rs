//! Which audio track and which part of the file a spec names.

use v2a_protocol::text::{Key, Said};
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
    let count = streams.len().to_string();
    match selector {
        TrackSelector::Default => Ok(&streams[0]),
        TrackSelector::Position(n) => usize::try_from(*n)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| streams.get(i))
            .ok_or_else(|| {
                MediaError::NoSuchTrack(Said::new(
                    Key::MediaNoTrackNumber,
                    &[("n", &n.to_string()), ("count", &count)],
                ))
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
                    // "–" for a track without a language tag: the same in every language.
                    .map(|s| format!("{} {}", s.index + 1, s.language.as_deref().unwrap_or("–")))
                    .collect();
                MediaError::NoSuchTrack(Said::new(
                    Key::MediaNoTrackLanguage,
                    &[("wanted", wanted), ("list", &list.join(", "))],
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
            Err(MediaError::EmptyRange(Said::new(
                Key::MediaLengthUnknown,
                &[],
            )))
        };
    };
    range.resolve(duration).ok_or_else(|| {
        let long = clock(duration);
        let said = match range.start {
            TimePoint::Start(ms) if ms as f64 / 1000.0 >= duration => Said::new(
                Key::MediaRangePastEnd,
                &[("start", &clock(ms as f64 / 1000.0)), ("length", &long)],
            ),
            _ => Said::new(Key::MediaRangeEmpty, &[("length", &long)]),
        };
        MediaError::EmptyRange(said)
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
