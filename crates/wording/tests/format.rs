//! Format, quality, bitrate, sample rate, channels and loudness, in English and Chinese.

use v2a_wording::{understand, ExtractionSpec, Intent, Loudness, OutputFormat, Quality};

fn spec(message: &str) -> ExtractionSpec {
    match understand(message) {
        Intent::Extract { spec } => spec,
        other => panic!("{message:?} should be an extraction, got {other:?}"),
    }
}

#[test]
fn formats_in_both_languages() {
    use OutputFormat::*;
    let cases = [
        ("mp3", Mp3),
        ("MP3", Mp3),
        ("extract the audio as an MP3 file", Mp3),
        ("convert to m4a please", M4a),
        ("I want AAC", M4a),
        ("give me a wav", Wav),
        ("flac", Flac),
        ("ogg vorbis", Ogg),
        ("as .ogg", Ogg),
        ("opus for the web", Opus),
        ("提取音频为MP3", Mp3),
        ("转成wav", Wav),
        ("转成ＦＬＡＣ", Flac),
        ("导出为opus格式", Opus),
        ("mp3 or wav", Mp3),
        ("wav or mp3", Wav),
        ("convert from wav to mp3", Mp3),
        ("lossless flac", Flac),
        ("best", Original),
        ("original", Original),
        ("original quality please", Original),
        ("extract without re-encoding", Original),
        ("no re-encode", Original),
        ("lossless copy of the audio", Original),
        ("lossless", Original),
        ("keep the audio as-is", Original),
        ("原始音质", Original),
        ("无损提取", Original),
        ("不转码，直接提取音频", Original),
    ];
    for (message, want) in cases {
        assert_eq!(spec(message).format, Some(want), "{message}");
    }
}

#[test]
fn no_format_when_none_named() {
    for message in [
        "extract the audio",
        "get the sound",
        "提取音频",
        "extract audio from the original video",
    ] {
        let s = spec(message);
        assert_eq!(s, ExtractionSpec::default(), "{message}");
    }
}

#[test]
fn bitrates() {
    let cases = [
        ("mp3 128k", 128),
        ("mp3 at 192 kbps", 192),
        ("MP3 320", 320),
        ("320 mp3", 320),
        ("mp3 at 256 kbit/s", 256),
        ("m4a 256kb/s", 256),
        ("bitrate 160", 160),
        ("a bit rate of 96k", 96),
        ("48k mp3", 48),
        ("opus 64k", 64),
        ("转成mp3，192k", 192),
        ("码率128", 128),
        ("mp3, 320, stereo", 320),
        ("MP3 @ 320", 320),
        ("mp3 - 192 - mono", 192),
        ("mp3 比特率 320kbps", 320),
    ];
    for (message, want) in cases {
        assert_eq!(spec(message).quality, Quality::Bitrate(want), "{message}");
    }
}

#[test]
fn quality_words() {
    let cases = [
        ("high quality mp3", Quality::High),
        ("best quality m4a", Quality::High),
        ("mp3, smallest file possible", Quality::Small),
        ("small file please", Quality::Small),
        (
            "it's a lecture, voice only quality is fine: mp3 for speech",
            Quality::Voice,
        ),
        ("spoken word m4a", Quality::Voice),
        ("高音质mp3", Quality::High),
        ("小文件", Quality::Small),
        ("语音，mp3", Quality::Voice),
        ("high quality 320k mp3", Quality::Bitrate(320)),
        ("mp3 at the highest bitrate", Quality::High),
        ("mp3 v0", Quality::High),
        ("音质好一点", Quality::High),
        ("mp3，音质越高越好", Quality::High),
        ("文件越小越好", Quality::Small),
        ("转换为m4a，高品质", Quality::High),
    ];
    for (message, want) in cases {
        assert_eq!(spec(message).quality, want, "{message}");
    }
}

#[test]
fn sample_rates_are_not_bitrates() {
    let cases = [
        ("wav 44.1 kHz", 44_100, Quality::Default),
        ("wav 44100", 44_100, Quality::Default),
        ("48k sample rate wav", 48_000, Quality::Default),
        ("sample rate 48k", 48_000, Quality::Default),
        ("wav at 48 kHz", 48_000, Quality::Default),
        ("22.05 kHz", 22_050, Quality::Default),
        ("16 kHz mono wav", 16_000, Quality::Default),
        ("mp3 192k 48khz", 48_000, Quality::Bitrate(192)),
        ("44.1k mp3 at 128 kbps", 44_100, Quality::Bitrate(128)),
        ("采样率48k", 48_000, Quality::Default),
        ("转成wav，采样率 44100", 44_100, Quality::Default),
        ("16kHz 单声道", 16_000, Quality::Default),
        ("wav 48k", 48_000, Quality::Default),
        ("320kbps mp3 44.1", 44_100, Quality::Bitrate(320)),
        ("flac 96k", 96_000, Quality::Default),
    ];
    for (message, rate, quality) in cases {
        let s = spec(message);
        assert_eq!(
            (s.sample_rate, s.quality),
            (Some(rate), quality),
            "{message}"
        );
    }
}

#[test]
fn channels() {
    let cases = [
        ("mono", 1),
        ("wav mono", 1),
        ("1 channel", 1),
        ("single channel mp3", 1),
        ("stereo", 2),
        ("2 channels please", 2),
        ("mono or stereo", 1),
        ("单声道", 1),
        ("立体声mp3", 2),
        ("双声道", 2),
    ];
    for (message, want) in cases {
        assert_eq!(spec(message).channels, Some(want), "{message}");
    }
}

#[test]
fn loudness() {
    let podcast = Some(Loudness::PODCAST);
    let lufs = |i, p| {
        Some(Loudness {
            integrated: i,
            true_peak: p,
        })
    };
    let cases = [
        ("normalize", podcast),
        ("normalise the loudness", podcast),
        ("m4a, podcast loudness", podcast),
        ("loudness normalization please", podcast),
        ("mp3 normalized to -14 LUFS", lufs(-14.0, -1.0)),
        ("-14 LUFS, -2 dBTP", lufs(-14.0, -2.0)),
        (
            "normalize to -23 lufs with a true peak of -1.5",
            lufs(-23.0, -1.5),
        ),
        ("loudness 16 LUFS", lufs(-16.0, -1.0)),
        ("标准化响度", podcast),
        ("播客响度 mp3", podcast),
        ("响度标准化到-14 LUFS", lufs(-14.0, -1.0)),
        ("EBU R128", lufs(-23.0, -1.0)),
        ("提取音频 响度-23LUFS", lufs(-23.0, -1.0)),
    ];
    for (message, want) in cases {
        assert_eq!(spec(message).loudness, want, "{message}");
    }
}

#[test]
fn everything_at_once() {
    let s = spec("MP3 at 192 kbps, 44.1 kHz, mono, from 0:30 to 2:15, normalised");
    assert_eq!(s.format, Some(OutputFormat::Mp3));
    assert_eq!(s.quality, Quality::Bitrate(192));
    assert_eq!(s.sample_rate, Some(44_100));
    assert_eq!(s.channels, Some(1));
    assert_eq!(s.loudness, Some(Loudness::PODCAST));
    assert!(s.range.is_some());
    let z = spec("转成mp3，192k，44.1kHz，单声道，从0:30到2:15，标准化响度");
    assert_eq!(z, s);
}

#[test]
fn lossless_compression_is_flac_and_lower_bitrate_is_small() {
    assert_eq!(spec("无损压缩").format, Some(OutputFormat::Flac));
    assert_eq!(
        spec("lossless compression please").format,
        Some(OutputFormat::Flac)
    );
    assert_eq!(spec("mp3, lower the bitrate").quality, Quality::Small);
}
