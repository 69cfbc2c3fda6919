//! Which upload, which audio track, and the output name, in English and Chinese.

use v2a_wording::{
    language_matches, understand, ExtractionSpec, Intent, OutputFormat, SourceSelector,
    TrackSelector,
};

fn spec(message: &str) -> ExtractionSpec {
    match understand(message) {
        Intent::Extract { spec } => spec,
        other => panic!("{message:?} should be an extraction, got {other:?}"),
    }
}

#[test]
fn which_upload() {
    use SourceSelector::*;
    let name = |s: &str| Name(s.to_string());
    let cases = [
        ("extract the audio", Latest),
        ("the second video as mp3", Position(2)),
        ("video 2", Position(2)),
        ("from the first file", Position(1)),
        ("the 3rd clip, mp3", Position(3)),
        ("the 2nd one as mp3", Position(2)),
        ("the second one", Position(2)),
        ("upload #4", Position(4)),
        ("the last upload as wav", Latest),
        ("the latest video, mp3", Latest),
        ("from interview.mp4 as wav", name("interview.mp4")),
        (
            "extract the audio of Lecture-03.MOV",
            name("Lecture-03.MOV"),
        ),
        ("the file lecture as mp3", name("lecture")),
        ("the video called standup as mp3", name("standup")),
        ("第二个视频转成mp3", Position(2)),
        ("第2个文件", Position(2)),
        ("第三段视频的音频", Position(3)),
        ("视频2提取音频", Position(2)),
        ("最后一个视频转mp3", Latest),
        ("从采访.mp4提取音频", name("采访.mp4")),
    ];
    for (message, want) in cases {
        assert_eq!(spec(message).source, want, "{message}");
    }
}

/// A file name with an extension names the upload to take the audio from: its extension is
/// not the format ("extract long.wav as mp3" is MP3 from long.wav, not WAV).
#[test]
fn upload_named_by_file_name() {
    use OutputFormat::*;
    let name = |s: &str| SourceSelector::Name(s.to_string());
    let cases = [
        ("extract long.wav as mp3", name("long.wav"), Some(Mp3)),
        ("extract long.wav", name("long.wav"), None),
        ("long.wav to mp3", name("long.wav"), Some(Mp3)),
        (
            "convert Podcast-Ep3.FLAC into m4a",
            name("Podcast-Ep3.FLAC"),
            Some(M4a),
        ),
        (
            "extract interview.mp4 as wav",
            name("interview.mp4"),
            Some(Wav),
        ),
        (
            "get the audio of \"my talk.mov\" as ogg",
            name("my talk.mov"),
            Some(Ogg),
        ),
        (
            "extract “old song.m4a” as flac",
            name("old song.m4a"),
            Some(Flac),
        ),
        (
            "mp3 from 'voice memo.wav'",
            name("voice memo.wav"),
            Some(Mp3),
        ),
        ("把 long.wav 转成 mp3", name("long.wav"), Some(Mp3)),
        ("把long.wav转成mp3", name("long.wav"), Some(Mp3)),
        (
            "从 “我的 讲座.mov” 提取音频，转成 wav",
            name("我的 讲座.mov"),
            Some(Wav),
        ),
        ("提取 录音.flac 的音频", name("录音.flac"), None),
    ];
    for (message, source, format) in cases {
        let s = spec(message);
        assert_eq!(s.source, source, "{message}");
        assert_eq!(s.format, format, "{message}");
        assert_eq!(
            s.output_name, None,
            "{message}: the upload's name is not the output's"
        );
    }
}

/// The result's name still comes from "save as"/"name it"/"to x.mp3", and its extension gives
/// the format only when no other is said — while a second file name picks the upload.
#[test]
fn upload_name_and_output_name_together() {
    use OutputFormat::*;
    let cases = [
        (
            "extract long.wav, save as episode.mp3",
            "long.wav",
            "episode",
            Some(Mp3),
        ),
        (
            "extract long.wav as flac and name it take-2.mp3",
            "long.wav",
            "take-2",
            Some(Flac),
        ),
        (
            "convert long.wav to short.mp3",
            "long.wav",
            "short",
            Some(Mp3),
        ),
        ("把 long.wav 转成 short.ogg", "long.wav", "short", Some(Ogg)),
        (
            "把 long.wav 转成 mp3，保存为 节目.m4a",
            "long.wav",
            "节目",
            Some(Mp3),
        ),
    ];
    for (message, source, output, format) in cases {
        let s = spec(message);
        assert_eq!(
            s.source,
            SourceSelector::Name(source.to_string()),
            "{message}"
        );
        assert_eq!(s.output_name.as_deref(), Some(output), "{message}");
        assert_eq!(s.format, format, "{message}");
    }
}

#[test]
fn which_track() {
    use TrackSelector::*;
    let lang = |s: &str| Language(s.to_string());
    let cases = [
        ("track 2", Position(2)),
        ("audio track 3 as mp3", Position(3)),
        ("the second audio track", Position(2)),
        ("2nd track", Position(2)),
        ("the English track", lang("eng")),
        ("Spanish audio", lang("spa")),
        ("the audio in Japanese", lang("jpn")),
        ("french version as mp3", lang("fra")),
        ("German dub", lang("deu")),
        ("the Mandarin track", lang("zho")),
        ("音轨2", Position(2)),
        ("音轨二", Position(2)),
        ("第2音轨", Position(2)),
        ("第二条音轨", Position(2)),
        ("第2个音轨转成wav", Position(2)),
        ("英语音轨", lang("eng")),
        ("英文音轨转mp3", lang("eng")),
        ("西班牙语音轨", lang("spa")),
        ("中文音轨", lang("zho")),
        ("提取日语音频", lang("jpn")),
        ("法语配音", lang("fra")),
    ];
    for (message, want) in cases {
        assert_eq!(spec(message).track, want, "{message}");
    }
}

#[test]
fn upload_and_track_together() {
    let s = spec("extract mp3 from video 3, track 2, first 30 seconds");
    assert_eq!(s.source, SourceSelector::Position(3));
    assert_eq!(s.track, TrackSelector::Position(2));
    assert!(s.range.is_some());
    assert_eq!(
        s.quality,
        v2a_wording::Quality::Default,
        "no number became a bitrate"
    );
}

#[test]
fn output_names() {
    let cases = [
        ("name it interview", "interview", None),
        (
            "mp3, call it Episode-12",
            "Episode-12",
            Some(OutputFormat::Mp3),
        ),
        (
            "save as episode-12.mp3",
            "episode-12",
            Some(OutputFormat::Mp3),
        ),
        ("save it as talk.flac", "talk", Some(OutputFormat::Flac)),
        (
            "save as notes.wav but make it mp3",
            "notes",
            Some(OutputFormat::Mp3),
        ),
        (
            "name it \"My Great Talk\" as m4a",
            "My Great Talk",
            Some(OutputFormat::M4a),
        ),
        ("call it translation-notes", "translation-notes", None),
        ("命名为 采访", "采访", None),
        ("命名为采访并转成mp3", "采访", Some(OutputFormat::Mp3)),
        ("转成wav，文件名：第一课", "第一课", Some(OutputFormat::Wav)),
        ("保存为“周会录音”", "周会录音", None),
        (
            "m4a of track 3 at 160k, named clip",
            "clip",
            Some(OutputFormat::M4a),
        ),
        (
            "mp3 called Morning Show",
            "Morning Show",
            Some(OutputFormat::Mp3),
        ),
    ];
    for (message, name, format) in cases {
        let s = spec(message);
        assert_eq!(s.output_name.as_deref(), Some(name), "{message}");
        assert_eq!(s.format, format, "{message}");
    }
    // "save as mp3" names a format, not a file.
    let s = spec("save as mp3");
    assert_eq!((s.output_name, s.format), (None, Some(OutputFormat::Mp3)));
    let s = spec("save it as a wav");
    assert_eq!((s.output_name, s.format), (None, Some(OutputFormat::Wav)));
}

#[test]
fn video_output_names_are_refused() {
    match understand("save as clip.mp4") {
        Intent::Unsupported { reason } => assert!(reason.contains(".mp4"), "{reason}"),
        other => panic!("got {other:?}"),
    }
}

#[test]
fn track_languages_match_any_code_ffprobe_reports() {
    for (wanted, reported, same) in [
        ("fra", "fre", true),
        ("fra", "FRA", true),
        ("zho", "chi", true),
        ("deu", "ger", true),
        ("eng", "en", true),
        ("eng", "English", true),
        ("spa", "eng", false),
        ("eng", "und", false),
        ("xyz", "xyz", true),
        ("xyz", "", false),
    ] {
        assert_eq!(
            language_matches(wanted, reported),
            same,
            "{wanted} vs {reported}"
        );
    }
}
