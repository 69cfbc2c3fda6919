//! The instruction the extension starts with (`v2a_protocol::instruction`), for every default
//! format and quality in both languages, is understood as the extraction it names.

use v2a_protocol::formats::FORMATS;
use v2a_protocol::instruction::{default_instruction, DEFAULT_QUALITIES, ORIGINAL};
use v2a_wording::{understand, Intent, OutputFormat, Quality};

#[test]
fn the_default_instruction_parses_to_its_format_and_quality_in_both_languages() {
    let formats = FORMATS
        .iter()
        .map(|f| (f.extension(), f.format, f.lossless()))
        .chain([(ORIGINAL, OutputFormat::Original, true)]);
    for (id, format, lossless) in formats {
        for &quality in DEFAULT_QUALITIES {
            let bitrate = quality.parse::<u32>().ok();
            let want = match (quality, bitrate) {
                _ if format == OutputFormat::Original => Quality::Default,
                (_, Some(_)) if lossless => Quality::Default,
                (_, Some(kbps)) => Quality::Bitrate(kbps),
                ("high", _) => Quality::High,
                ("small", _) => Quality::Small,
                ("voice", _) => Quality::Voice,
                _ => Quality::Default,
            };
            for lang in [v2a_protocol::Lang::En, v2a_protocol::Lang::Zh] {
                let text = default_instruction(lang, id, quality);
                match understand(&text) {
                    Intent::Extract { spec } => {
                        assert_eq!(spec.format, Some(format), "{text}");
                        assert_eq!(spec.quality, want, "{text}");
                    }
                    other => panic!("{text:?} is not understood as an extraction: {other:?}"),
                }
            }
        }
    }
}

#[test]
fn a_chinese_sessions_default_instruction_is_chinese() {
    let han = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for &quality in DEFAULT_QUALITIES {
        let zh = default_instruction(v2a_protocol::Lang::Zh, "mp3", quality);
        let en = default_instruction(v2a_protocol::Lang::En, "mp3", quality);
        assert!(han(&zh) && zh.contains("MP3"), "{zh}");
        assert!(!han(&en) && en.contains("MP3"), "{en}");
    }
}
