//! The popup's format chips: the instruction's format is replaced in place, and what the
//! parser then reads is the chip's format with everything else unchanged.

use v2a_wording::{understand, with_format, ExtractionSpec, Intent, OutputFormat};

fn spec(message: &str) -> ExtractionSpec {
    match understand(message) {
        Intent::Extract { spec } => spec,
        other => panic!("{message:?} should be an extraction, got {other:?}"),
    }
}

#[test]
fn the_named_format_is_replaced_in_place() {
    let cases = [
        ("extract the audio as mp3", "extract the audio as WAV"),
        (
            "Extract the audio as MP3, first minute",
            "Extract the audio as WAV, first minute",
        ),
        ("convert to an mp3 file please", "convert as WAV please"),
        ("mp3 at 192k", "as WAV at 192k"),
        (
            "keep the original quality",
            "keep the original quality as WAV",
        ),
        ("keep it in the original quality", "keep it as WAV"),
        ("save it as original", "save it as WAV"),
        ("from wav to mp3", "from wav as WAV"),
        (
            "the original video in flac format.",
            "the original video as WAV.",
        ),
    ];
    for (message, want) in cases {
        assert_eq!(with_format(message, "as WAV"), want, "{message}");
    }
}

#[test]
fn without_a_format_the_phrase_is_appended() {
    assert_eq!(with_format("", "as MP3"), "Extract the audio track as MP3");
    assert_eq!(
        with_format("   ", "as MP3"),
        "Extract the audio track as MP3"
    );
    assert_eq!(
        with_format("the first 30 seconds", "as FLAC"),
        "the first 30 seconds as FLAC"
    );
    assert_eq!(with_format("转成mp3", "as WAV"), "转成mp3 as WAV");
}

/// What a person cares about: after a chip, the request asks for the chip's format and keeps
/// its other settings.
#[test]
fn the_parser_reads_the_chips_format_and_keeps_the_rest() {
    let chips = [
        ("as MP3", OutputFormat::Mp3),
        ("as M4A", OutputFormat::M4a),
        ("as WAV", OutputFormat::Wav),
        ("as FLAC", OutputFormat::Flac),
        ("as Opus", OutputFormat::Opus),
    ];
    let messages = [
        "extract the audio as ogg, the first 30 seconds, mono",
        "the second video to an m4a file, the first 30 seconds, mono",
        "the first 30 seconds, mono",
    ];
    for message in messages {
        let before = spec(message);
        for (phrase, format) in chips {
            let edited = with_format(message, phrase);
            let after = spec(&edited);
            assert_eq!(after.format, Some(format), "{edited}");
            assert_eq!(after.range, before.range, "{edited}");
            assert_eq!(after.channels, before.channels, "{edited}");
            assert_eq!(after.source, before.source, "{edited}");
        }
    }
}
