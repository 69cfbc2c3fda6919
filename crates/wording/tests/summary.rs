//! The "I understood: …" line and the replies the server sends.

use v2a_wording::{
    detect_lang, help_text, summary, summary_in, understand, understand_in, unsupported_text,
    ExtractionSpec, Intent, Lang,
};

fn said(message: &str) -> String {
    match understand(message) {
        Intent::Extract { spec } => summary(&spec),
        other => panic!("{message:?} should be an extraction, got {other:?}"),
    }
}

#[test]
fn summaries_of_understood_requests() {
    let cases = [
        ("mp3 192k from 0:30 to 2:15", "MP3 · 192 kbps · 0:30–2:15"),
        ("WAV 48 kHz mono", "WAV · 48 kHz · mono"),
        (
            "m4a, high quality, podcast loudness",
            "M4A (AAC) · high quality · normalised to -16 LUFS",
        ),
        ("extract the audio", "Original audio (no re-encode)"),
        ("提取音频", "Original audio (no re-encode)"),
        ("no re-encode", "Original quality (no re-encode)"),
        ("the first 30 seconds as mp3", "MP3 · first 30 s"),
        ("last minute, flac", "FLAC · last 1:00"),
        ("from 1:02:03 to the end, opus", "Opus · 1:02:03–end"),
        ("0:30.5 to 1:00 as ogg", "Ogg Vorbis · 0:30.5–1:00"),
        (
            "skip the first 10 seconds",
            "Original audio (no re-encode) · 0:10–end",
        ),
        (
            "everything except the last 10 seconds",
            "Original audio (no re-encode) · all but the last 10 s",
        ),
        ("mp3 from the second upload", "MP3 · from the 2nd upload"),
        ("track 2 as wav", "WAV · track 2"),
        ("the Spanish track as mp3", "MP3 · Spanish track"),
        ("save as interview.mp3", "MP3 · → interview.mp3"),
        (
            "from lecture.mp4, mono",
            "Original format · mono · from lecture.mp4",
        ),
        ("mono, name it talk", "Original format · mono · → talk"),
        ("name it talk", "Original audio (no re-encode) · → talk"),
        (
            "normalize to -14 LUFS and -2 dBTP as mp3",
            "MP3 · normalised to -14 LUFS, -2 dBTP",
        ),
        ("44.1khz opus small file", "Opus · small file · 44.1 kHz"),
        ("voice quality m4a", "M4A (AAC) · tuned for speech"),
        (
            "original quality, mono",
            "Original format, best quality · mono",
        ),
        ("128 kbps", "Original format · 128 kbps"),
        ("mp3, name it talk", "MP3 · → talk.mp3"),
    ];
    for (message, want) in cases {
        assert_eq!(said(message), want, "{message}");
    }
}

#[test]
fn chinese_summaries() {
    let spec =
        match understand("第二个视频的最后一分钟，转成mp3，192k，单声道，英语音轨，命名为 采访")
        {
            Intent::Extract { spec } => spec,
            other => panic!("got {other:?}"),
        };
    assert_eq!(
        summary_in(&spec, Lang::Zh),
        "MP3 · 192 kbps · 单声道 · 最后 1:00 · 英语音轨 · 第 2 个上传的视频 · → 采访.mp3"
    );
    assert_eq!(
        summary(&spec),
        "MP3 · 192 kbps · mono · last 1:00 · English track · from the 2nd upload · → 采访.mp3"
    );
    assert_eq!(
        summary_in(&ExtractionSpec::default(), Lang::Zh),
        "原始音频（不重新编码）"
    );
}

#[test]
fn language_of_the_reply_follows_the_message() {
    assert_eq!(detect_lang("extract mp3"), Lang::En);
    assert_eq!(detect_lang("提取音频为MP3"), Lang::Zh);
    assert_eq!(detect_lang("mp3 命名为 x"), Lang::Zh);
    assert_eq!(detect_lang(""), Lang::En);
}

#[test]
fn help_lists_what_we_do_with_examples() {
    let en = help_text(Lang::En);
    for w in [
        "MP3",
        "WAV",
        "time range",
        "“extract the audio as MP3 at 192 kbps”",
    ] {
        assert!(en.contains(w), "{en}");
    }
    // Every example in the help text is itself understood.
    for example in en.split('“').skip(1).filter_map(|s| s.split('”').next()) {
        assert!(
            matches!(understand(example), Intent::Extract { .. }),
            "help example {example:?}"
        );
    }
    let zh = help_text(Lang::Zh);
    assert!(zh.contains("提取音频为MP3"), "{zh}");
    for example in zh.split('“').skip(1).filter_map(|s| s.split('”').next()) {
        assert!(
            matches!(understand(example), Intent::Extract { .. }),
            "help example {example:?}"
        );
    }
}

#[test]
fn unsupported_replies_name_the_request_then_what_we_can_do() {
    let Intent::Unsupported { reason } = understand("translate it and give me an mp3") else {
        panic!("should be refused");
    };
    let text = unsupported_text(&reason, detect_lang("translate it and give me an mp3"));
    assert!(
        text.starts_with("Sorry, I can't help with this: translating the speech."),
        "{text}"
    );
    assert!(text.contains("What I can do"), "{text}");
    let msg = "去掉背景音乐";
    let Intent::Unsupported { reason } = understand(msg) else {
        panic!("should be refused")
    };
    let text = unsupported_text(&reason, detect_lang(msg));
    assert!(
        text.starts_with("抱歉，这个我做不到：去除背景音乐或噪音。"),
        "{text}"
    );
    assert!(text.contains("我能做的是"), "{text}");
}

#[test]
fn reasons_can_follow_the_session_language() {
    let zh = understand_in("translate it", Lang::Zh);
    assert_eq!(
        zh,
        Intent::Unsupported {
            reason: "翻译语音".into()
        }
    );
    let en = understand_in("翻译一下", Lang::En);
    assert_eq!(
        en,
        Intent::Unsupported {
            reason: "translating the speech".into()
        }
    );
}
