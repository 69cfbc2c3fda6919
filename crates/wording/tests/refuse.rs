//! Never guessing: what the product cannot do is refused by name (even when a format is named
//! too), and a message with nothing to act on gets the help text.

use v2a_wording::{understand, ExtractionSpec, Intent, OutputFormat};

fn reason(message: &str) -> String {
    match understand(message) {
        Intent::Unsupported { reason } => reason,
        other => panic!("{message:?} should be refused, got {other:?}"),
    }
}

/// Each message is refused with a reason that mentions its words.
fn assert_reasons(cases: &[(&str, &str)]) {
    for (message, words) in cases {
        let r = reason(message);
        assert!(
            r.contains(words),
            "{message}: {r:?} should mention {words:?}"
        );
    }
}

#[test]
fn things_we_cannot_do_are_named_even_with_a_format() {
    let cases = [
        ("remove the background music", "background music"),
        ("remove background noise and save as mp3", "noise"),
        ("denoise it, wav", "noise"),
        ("mp3 without the music", "background music"),
        ("translate it and give me an mp3", "translating"),
        ("translate the audio to English", "translating"),
        ("transcribe the audio", "transcripts"),
        ("make subtitles", "subtitles"),
        ("mp3 plus a transcript", "transcripts"),
        ("change the voice to sound deeper, mp3", "voice"),
        ("raise the pitch", "pitch"),
        ("make it sound like a robot", "voice"),
        ("speed it up 2x as mp3", "speed"),
        ("mp3 at 1.5x", "speed"),
        ("slow down the audio", "speed"),
        ("add background music", "adding music"),
        ("mix in a song and export mp3", "mixing"),
        ("merge the two videos' audio", "merging"),
        ("separate the vocals", "vocals"),
        ("karaoke version as mp3", "vocals"),
        ("extract the vocals as wav", "vocals"),
        ("make it louder", "volume"),
        ("add a fade out, mp3", "effects"),
        ("remove the silences", "silence"),
        ("resize the video", "video"),
        ("crop it to 9:16", "video"),
        ("add text to the video", "video"),
        ("export 1080p mp4", "video"),
        ("convert it to mp4", "video file"),
        ("edit the video", "video"),
        ("enhance the audio quality", "enhancing"),
        ("aiff please", "AIFF"),
        ("ogg q5", "preset “q5”"),
        ("mp3 v2", "preset “v2”"),
        ("extract mp3 from both videos", "several uploads"),
        ("extract the audio from the second half", "fraction"),
        ("extract the audio but skip the intro", "“intro”"),
        ("just the chorus as mp3", "“chorus”"),
        ("去掉片头，转成mp3", "“片头”"),
        ("后半段转成mp3", "比例"),
        ("all tracks as wav", "several audio tracks"),
        ("split it into 10 minute chunks", "several files"),
        ("24-bit wav", "bit depth"),
        ("5 channels", "mono or stereo"),
        ("wav at 192 kbps", "bitrate for WAV"),
        ("original quality at 320 kbps", "original audio"),
        ("flac 320k", "FLAC"),
        ("mp3 at 500 kbps", "320"),
        ("sample rate 3 kHz", "sample rate"),
        ("normalize to -2 LUFS", "LUFS"),
    ];
    assert_reasons(&cases);
}

#[test]
fn chinese_refusals_are_in_chinese() {
    let cases = [
        ("去掉背景音乐", "背景音乐"),
        ("降噪后转成mp3", "噪音"),
        ("翻译成英文，导出mp3", "翻译"),
        ("生成字幕", "字幕"),
        ("变声", "声音"),
        ("加速到1.5倍", "速度"),
        ("添加背景音乐", "音乐"),
        ("提取人声", "人声"),
        ("提取背景音乐", "伴奏"),
        ("音量调大一点", "音量"),
        ("裁剪视频", "视频"),
        ("导出1080p视频", "视频"),
        ("把视频转成mp4", "视频"),
        ("从0:30到0:10", "早于"),
        ("所有视频都转成mp3", "多个视频"),
        ("分段导出", "多个文件"),
    ];
    assert_reasons(&cases);
}

#[test]
fn names_are_not_read_as_requests() {
    // The output name is taken out first: "translation" here is a name, not a request.
    match understand("mp3, call it translation-notes") {
        Intent::Extract { spec } => assert_eq!(spec.format, Some(OutputFormat::Mp3)),
        other => panic!("got {other:?}"),
    }
}

#[test]
fn nothing_to_act_on_is_help() {
    for message in [
        "",
        "   ",
        "hello",
        "hi",
        "Hi!",
        "thanks",
        "thank you!",
        "?",
        "help",
        "what can you do?",
        "你好",
        "谢谢",
        "？",
        "I have 2 videos",
    ] {
        assert_eq!(understand(message), Intent::Help, "{message:?}");
    }
}

#[test]
fn asking_for_audio_alone_is_a_default_extraction() {
    for message in [
        "extract the audio",
        "get the sound",
        "Extract audio from my video please",
        "convert this",
        "rip the soundtrack",
        "提取音频",
        "提取一下音频",
        "帮我把这个视频的声音提取出来",
        "把声音从视频里分离出来",
    ] {
        assert_eq!(
            understand(message),
            Intent::Extract {
                spec: ExtractionSpec::default()
            },
            "{message:?}"
        );
    }
}

#[test]
fn a_bare_format_is_an_extraction() {
    for (message, format) in [
        ("mp3", OutputFormat::Mp3),
        ("WAV", OutputFormat::Wav),
        ("ｍｐ３", OutputFormat::Mp3),
    ] {
        let want = ExtractionSpec {
            format: Some(format),
            ..ExtractionSpec::default()
        };
        assert_eq!(
            understand(message),
            Intent::Extract { spec: want },
            "{message:?}"
        );
    }
}

#[test]
fn stray_numbers_are_questions_not_guesses() {
    for (message, quoted) in [
        ("mp3 at 150", "150"),
        ("1.5 minutes", "1.5 minutes"),
        ("wav 7", "7"),
    ] {
        let r = reason(message);
        assert!(
            r.contains(quoted) && r.contains("could not place"),
            "{message}: {r}"
        );
    }
}

#[test]
fn natural_requests_with_risky_words_are_not_refused() {
    for message in [
        "extract audio without the video",
        "get rid of the video, keep the sound",
        "put the music in an mp3",
        "extract the music from the video",
        "convert to mp3 and lower the bitrate",
        "cut the audio from 0:30 to 1:00",
        "the film's soundtrack as flac",
        "不要画面，只要声音",
        "文件尺寸小一点",
        "为视频提取音频",
        "把视频转成mp3",
        "无损压缩",
        "extract the audio from my mp4",
        "convert this mov to mp3",
        "save the audio as an mp3 file",
        "https://example.com/v/2024/12/clip.mp4 as mp3 from 0:30",
        "the whole thing as mp3",
        "从头到尾转成mp3",
        "只要中间1分钟到2分钟",
        "把片头30秒去掉",
    ] {
        assert!(
            matches!(understand(message), Intent::Extract { .. }),
            "{message:?} gave {:?}",
            understand(message)
        );
    }
}

/// In a Chinese session each refusal is the catalog's Chinese sentence for its key, with the
/// message's own values filled in.
#[test]
fn refusals_in_a_chinese_session_come_from_the_catalog() {
    use v2a_protocol::text::{say, Key};
    use v2a_wording::{understand_in, Lang};
    type Case = (&'static str, Key, &'static [(&'static str, &'static str)]);
    let cases: [Case; 6] = [
        ("翻译成英文", Key::RefuseTranslate, &[]),
        (
            "从2:00到1:00提取音频",
            Key::RefuseEndBeforeStart,
            &[("start", "2:00"), ("end", "1:00")],
        ),
        (
            "提取音频，响度 -80 LUFS",
            Key::RefuseLoudnessTarget,
            &[
                ("lufs", "-80"),
                ("min", "-70"),
                ("max", "-5"),
                ("podcast", "-16"),
            ],
        ),
        (
            "转成 mp3，900kbps",
            Key::RefuseBitrateRange,
            &[("name", "MP3"), ("kbps", "900"), ("lo", "8"), ("hi", "320")],
        ),
        ("提取音频，5个声道", Key::RefuseChannels, &[("n", "5")]),
        ("去掉片头", Key::RefuseVaguePart, &[("what", "片头")]),
    ];
    for (message, key, args) in cases {
        let want = say(Lang::Zh, key, args);
        match understand_in(message, Lang::Zh) {
            Intent::Unsupported { reason } => assert_eq!(reason, want, "{message:?}"),
            other => panic!("{message:?} should be refused as {key:?}, got {other:?}"),
        }
    }
}
