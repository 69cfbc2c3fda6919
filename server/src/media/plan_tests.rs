use super::*;
use v2a_wording::TimeRange;
use v2a_wording::{TimePoint, TrackSelector};

fn stream(index: u32, codec: &str, language: Option<&str>) -> AudioStream {
    AudioStream {
        index,
        codec: codec.into(),
        channels: 2,
        sample_rate: 48_000,
        language: language.map(Into::into),
        bit_rate: None,
    }
}

fn probed(codecs: &[&str]) -> Probed {
    Probed {
        container: "mkv".into(),
        duration: 3.0,
        audio_streams: codecs
            .iter()
            .enumerate()
            .map(|(i, c)| stream(i as u32, c, None))
            .collect(),
        has_video: true,
    }
}

fn spec(format: Option<OutputFormat>) -> ExtractionSpec {
    ExtractionSpec {
        format,
        ..ExtractionSpec::default()
    }
}

#[test]
fn unsaid_format_copies_into_the_natural_container() {
    for (codec, ext, muxer) in [
        ("aac", "m4a", "ipod"),
        ("mp3", "mp3", "mp3"),
        ("opus", "opus", "opus"),
        ("vorbis", "ogg", "ogg"),
        ("flac", "flac", "flac"),
        ("pcm_s16le", "wav", "wav"),
    ] {
        let p = plan(&probed(&[codec]), &spec(None)).expect("plan");
        assert!(p.is_copy(), "{codec}");
        assert_eq!(
            (p.codec.as_str(), p.extension, p.muxer),
            (codec, ext, muxer)
        );
        assert!(!p.is_trimmed());
        assert_eq!(p.sample_rate, None);
    }
}

#[test]
fn codecs_without_a_container_become_mp3_or_stay_native() {
    let p = plan(&probed(&["ac3"]), &spec(None)).expect("plan");
    assert_eq!((p.codec.as_str(), p.extension), ("mp3", "mp3"));
    assert_eq!(
        p.encoding,
        Encoding::Encode {
            encoder: "libmp3lame",
            rate: RateControl::Quality(2.0)
        }
    );
    let p = plan(&probed(&["ac3"]), &spec(Some(OutputFormat::Original))).expect("plan");
    assert!(p.is_copy());
    assert_eq!(p.extension, "ac3");
    // ALAC's natural container is .m4a (as the protocol's table says): copied there untouched,
    // and kept lossless (FLAC) when the sound must change; asking for M4A means AAC.
    for asked in [None, Some(OutputFormat::Original)] {
        let p = plan(&probed(&["alac"]), &spec(asked)).expect("plan");
        assert_eq!(
            (p.codec.as_str(), p.extension, p.is_copy()),
            ("alac", "m4a", true)
        );
        assert_eq!(p.muxer, "ipod");
    }
    let mut louder = spec(None);
    louder.loudness = Some(v2a_wording::Loudness::PODCAST);
    let p = plan(&probed(&["alac"]), &louder).expect("plan");
    assert_eq!((p.codec.as_str(), p.extension), ("flac", "flac"));
    let p = plan(&probed(&["alac"]), &spec(Some(OutputFormat::M4a))).expect("plan");
    assert_eq!((p.codec.as_str(), p.is_copy()), ("aac", false));
    // Big-endian PCM cannot be copied into WAV: it is converted, losslessly.
    let p = plan(&probed(&["pcm_s16be"]), &spec(None)).expect("plan");
    assert_eq!(
        (p.codec.as_str(), p.extension, p.is_copy()),
        ("pcm_s16le", "wav", false)
    );
    let p = plan(&probed(&["pcm_s24be"]), &spec(Some(OutputFormat::Wav))).expect("plan");
    assert_eq!(p.codec, "pcm_s24le");
}

#[test]
fn compressed_audio_is_never_copied_into_wav() {
    let p = plan(&probed(&["aac"]), &spec(Some(OutputFormat::Wav))).expect("plan");
    assert_eq!(
        p.encoding,
        Encoding::Encode {
            encoder: "pcm_s16le",
            rate: RateControl::Lossless
        }
    );
}

#[test]
fn changes_force_a_re_encode_in_the_same_family() {
    let mut s = spec(None);
    s.channels = Some(1);
    let p = plan(&probed(&["aac"]), &s).expect("plan");
    assert_eq!(
        p.encoding,
        Encoding::Encode {
            encoder: "aac",
            rate: RateControl::Bitrate(192)
        }
    );
    assert_eq!(p.channels, Some(1));
    // Asking for what the source already is changes nothing.
    let mut s = spec(Some(OutputFormat::Mp3));
    s.channels = Some(2);
    s.sample_rate = Some(48_000);
    assert!(plan(&probed(&["mp3"]), &s).expect("plan").is_copy());
    s.quality = Quality::Bitrate(192);
    assert_eq!(
        plan(&probed(&["mp3"]), &s).expect("plan").encoding,
        Encoding::Encode {
            encoder: "libmp3lame",
            rate: RateControl::Bitrate(192)
        }
    );
}

#[test]
fn quality_mapping() {
    assert_eq!(
        rate_control(OutputFormat::Mp3, Quality::High).1,
        RateControl::Bitrate(320)
    );
    assert_eq!(
        rate_control(OutputFormat::Mp3, Quality::Small).1,
        RateControl::Bitrate(96)
    );
    assert_eq!(
        rate_control(OutputFormat::M4a, Quality::High).1,
        RateControl::Bitrate(256)
    );
    assert_eq!(
        rate_control(OutputFormat::Opus, Quality::Voice).1,
        RateControl::Bitrate(32)
    );
    assert_eq!(
        rate_control(OutputFormat::Ogg, Quality::Default).1,
        RateControl::Quality(5.0)
    );
    assert_eq!(
        rate_control(OutputFormat::Mp3, Quality::Bitrate(9000)).1,
        RateControl::Bitrate(320)
    );
    let mut s = spec(Some(OutputFormat::Mp3));
    s.quality = Quality::Voice;
    let p = plan(&probed(&["aac"]), &s).expect("plan");
    assert_eq!(p.channels, Some(1));
    s.channels = Some(2);
    assert_eq!(plan(&probed(&["aac"]), &s).expect("plan").channels, None);
}

#[test]
fn opus_gets_a_rate_libopus_accepts() {
    let mut s = spec(Some(OutputFormat::Opus));
    s.sample_rate = Some(44_100);
    assert_eq!(
        plan(&probed(&["aac"]), &s).expect("plan").sample_rate,
        Some(48_000)
    );
    s.sample_rate = Some(22_050);
    assert_eq!(
        plan(&probed(&["aac"]), &s).expect("plan").sample_rate,
        Some(24_000)
    );
    let mut p = probed(&["flac"]);
    p.audio_streams[0].sample_rate = 44_100;
    assert_eq!(
        plan(&p, &spec(Some(OutputFormat::Opus)))
            .expect("plan")
            .sample_rate,
        Some(48_000)
    );
}

#[test]
fn loudness_restates_the_rate() {
    let mut s = spec(Some(OutputFormat::Flac));
    s.loudness = Some(Loudness::PODCAST);
    let p = plan(&probed(&["flac"]), &s).expect("plan");
    assert!(!p.is_copy());
    assert_eq!(p.sample_rate, Some(48_000));
}

#[test]
fn tracks_by_position_and_language() {
    let mut p = probed(&["aac", "aac"]);
    p.audio_streams[0].language = Some("eng".into());
    p.audio_streams[1].language = Some("spa".into());
    let mut s = spec(None);
    s.track = TrackSelector::Position(2);
    assert_eq!(plan(&p, &s).expect("plan").track, 1);
    s.track = TrackSelector::Language("es".into());
    assert_eq!(plan(&p, &s).expect("plan").track, 1);
    s.track = TrackSelector::Language("English".into());
    assert_eq!(plan(&p, &s).expect("plan").track, 0);
    s.track = TrackSelector::Position(3);
    let e = plan(&p, &s).expect_err("no track 3");
    assert_eq!(
        e.to_string(),
        "There is no audio track 3 in this file (it has 2). Ask for one of its tracks, or leave the track out for the first."
    );
    s.track = TrackSelector::Position(2);
    let e = plan(&probed(&["aac"]), &s).expect_err("no track 2");
    assert!(e.to_string().contains("(it has 1)"), "{e}");
    s.track = TrackSelector::Language("fra".into());
    let e = plan(&p, &s).expect_err("no french");
    assert_eq!(
        e.to_string(),
        "This file has no audio track in 'fra'; its audio tracks are: 1 eng, 2 spa. Ask for one of those, or leave the language out for the first."
    );
    assert!(matches!(
        plan(&probed(&[]), &spec(None)),
        Err(MediaError::NoAudio)
    ));
}

#[test]
fn ranges_resolve_against_the_duration() {
    let mut s = spec(Some(OutputFormat::Mp3));
    s.range = Some(TimeRange {
        start: TimePoint::End(1000),
        end: None,
    });
    let p = plan(&probed(&["aac"]), &s).expect("plan");
    assert_eq!((p.start, p.end), (2.0, 3.0));
    assert!(p.is_trimmed());
    s.range = Some(TimeRange {
        start: TimePoint::Start(5000),
        end: Some(TimePoint::Start(8000)),
    });
    let e = plan(&probed(&["aac"]), &s).expect_err("beyond the end");
    assert_eq!(
        e.to_string(),
        "The time range starts at 0:05, but this file is only 0:03 long; pick a range inside 0:00–0:03."
    );
    assert!(matches!(e, MediaError::EmptyRange(_)));
}

#[test]
fn descriptions_and_clock() {
    assert_eq!(clock(0.0), "0:00");
    assert_eq!(clock(62.5), "1:02.5");
    assert_eq!(clock(3725.0), "1:02:05");
    let mut s = spec(Some(OutputFormat::Mp3));
    s.quality = Quality::Bitrate(192);
    s.channels = Some(1);
    s.range = Some(TimeRange {
        start: TimePoint::Start(1000),
        end: Some(TimePoint::Start(2000)),
    });
    assert_eq!(
        plan(&probed(&["aac"]), &s).expect("plan").describe(),
        "MP3, 192 kbps, mono, 0:01–0:02"
    );
    assert_eq!(
        plan(&probed(&["aac"]), &spec(None))
            .expect("plan")
            .describe(),
        "M4A (AAC), copied without re-encoding"
    );
}

#[test]
fn lossless_sources_are_cut_exactly() {
    let mut s = spec(None);
    s.range = Some(TimeRange {
        start: TimePoint::Start(1000),
        end: None,
    });
    let p = plan(&probed(&["flac"]), &s).expect("plan");
    assert_eq!(
        p.encoding,
        Encoding::Encode {
            encoder: "flac",
            rate: RateControl::Lossless
        }
    );
    let p = plan(&probed(&["pcm_f32le"]), &s).expect("plan");
    assert_eq!((p.codec.as_str(), p.extension), ("pcm_f32le", "wav"));
    // Lossy sources are still copied: re-encoding would cost quality.
    assert!(plan(&probed(&["aac"]), &s).expect("plan").is_copy());
}
