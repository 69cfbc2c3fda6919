//! Requests this product cannot carry out. Checked before anything else, so that "translate it
//! and give me an mp3" is refused (naming the translation) instead of silently producing an MP3.

use super::formats::{OTHER_FORMATS, VIDEO_EXTS, VIDEO_WORDS};
use super::text::Tok;
use super::tokens::Tokens;
use v2a_protocol::text::{say, Key};
use v2a_protocol::Lang;

/// One thing we cannot do, recognised by any of its rules; a rule is a list of groups, each a
/// list of alternative phrases, and matches when every group has a phrase somewhere in the
/// message ("remove" … "music").
struct Refusal {
    rules: &'static [&'static [&'static [&'static str]]],
    /// The reason, in the catalog (`v2a_protocol::text`).
    key: Key,
}

const REMOVE: &[&str] = &[
    "remove",
    "removing",
    "get rid of",
    "strip",
    "cut out",
    "eliminate",
    "reduce",
    "clean",
    "clean up",
    "filter",
    "filter out",
    "without",
    "delete",
    "erase",
    "mute",
    "suppress",
    "lower",
    "cancel",
    "去除",
    "去掉",
    "消除",
    "删除",
    "删掉",
    "过滤",
    "不要",
    "减少",
    "移除",
    "降低",
    "去背景",
];
const NOISES: &[&str] = &[
    "music",
    "noise",
    "noises",
    "background",
    "bgm",
    "hiss",
    "hum",
    "echo",
    "reverb",
    "wind",
    "static",
    "音乐",
    "噪音",
    "噪声",
    "杂音",
    "背景",
    "回声",
    "底噪",
    "风声",
];
const ADD: &[&str] = &[
    "add", "adding", "insert", "添加", "加上", "加入", "配上", "加点", "加",
];
const ADDABLE: &[&str] = &[
    "music",
    "bgm",
    "song",
    "soundtrack",
    "sound effect",
    "sound effects",
    "sfx",
    "intro",
    "outro",
    "jingle",
    "音乐",
    "音效",
    "歌",
    "片头",
    "片尾",
    "背景音乐",
];
const VIDEO_OUT_VERB: &[&str] = &[
    "to",
    "as",
    "into",
    "export",
    "render",
    "make a",
    "create a",
    "generate a",
    "转成",
    "转为",
    "变成",
    "做成",
    "转换成",
    "转换为",
    "导出",
    "生成",
    "制作",
];

const REFUSALS: &[Refusal] = &[
    Refusal {
        rules: &[&[&[
            "halfway",
            "half of",
            "前半段",
            "后半段",
            "前半部分",
            "后半部分",
            "前一半",
            "后一半",
            "一半",
            "上半段",
            "下半段",
            "上半部分",
            "下半部分",
        ]]],
        key: Key::RefuseFraction,
    },
    Refusal {
        rules: &[&[&[
            "both videos",
            "all videos",
            "all the videos",
            "every video",
            "each video",
            "all files",
            "all the files",
            "every file",
            "all uploads",
            "all my uploads",
            "all of them",
            "所有视频",
            "全部视频",
            "每个视频",
            "所有文件",
            "全部文件",
            "两个视频都",
        ]]],
        key: Key::RefuseSeveralUploads,
    },
    Refusal {
        rules: &[&[&[
            "all tracks",
            "all the tracks",
            "all audio tracks",
            "every track",
            "each track",
            "both tracks",
            "all the audio tracks",
            "所有音轨",
            "全部音轨",
            "每条音轨",
            "每个音轨",
        ]]],
        key: Key::RefuseSeveralTracks,
    },
    Refusal {
        rules: &[&[&[
            "split into",
            "split it into",
            "split the audio into",
            "chop into",
            "chunks",
            "segments",
            "chapters",
            "分段",
            "切分",
            "分割",
            "切成",
            "分成几段",
        ]]],
        key: Key::RefuseSplit,
    },
    Refusal {
        rules: &[
            &[&[
                "denoise",
                "denoising",
                "noise reduction",
                "noise removal",
                "noise cancelling",
                "noise cancellation",
                "降噪",
                "去噪",
                "消噪",
            ]],
            &[REMOVE, NOISES],
        ],
        key: Key::RefuseDenoise,
    },
    Refusal {
        rules: &[&[
            &[
                "enhance", "improve", "clean up", "fix", "repair", "restore", "增强", "修复",
                "优化", "美化", "改善",
            ],
            &["audio", "sound", "voice", "quality", "音质", "声音", "音频"],
        ]],
        key: Key::RefuseEnhance,
    },
    Refusal {
        rules: &[&[&[
            "translate",
            "translation",
            "translated",
            "translating",
            "翻译",
            "译成",
        ]]],
        key: Key::RefuseTranslate,
    },
    Refusal {
        rules: &[&[&[
            "transcribe",
            "transcript",
            "transcription",
            "transcribing",
            "subtitle",
            "subtitles",
            "caption",
            "captions",
            "srt",
            "vtt",
            "lyrics",
            "speech to text",
            "to text",
            "into text",
            "as text",
            "字幕",
            "转文字",
            "文字稿",
            "转写",
            "听写",
            "转录",
            "逐字稿",
            "文本",
            "歌词",
        ]]],
        key: Key::RefuseTranscribe,
    },
    Refusal {
        rules: &[&[&[
            "pitch",
            "autotune",
            "auto-tune",
            "voice changer",
            "chipmunk",
            "sound like",
            "sounds like",
            "deeper voice",
            "change the voice",
            "change my voice",
            "change his voice",
            "change her voice",
            "change voice",
            "alter the voice",
            "modify the voice",
            "disguise",
            "变声",
            "变调",
            "音调",
            "变音",
            "升调",
            "降调",
            "改变声音",
            "改声音",
            "变成机器人",
        ]]],
        key: Key::RefuseVoice,
    },
    Refusal {
        rules: &[&[&[
            "speed up",
            "speed it up",
            "slow down",
            "slow it down",
            "speed",
            "faster",
            "slower",
            "tempo",
            "time stretch",
            "加速",
            "减速",
            "倍速",
            "变速",
            "快放",
            "慢放",
            "加快",
            "放慢",
            "快进",
            "语速",
            "变快",
            "变慢",
            "调快",
            "调慢",
        ]]],
        key: Key::RefuseSpeed,
    },
    Refusal {
        rules: &[
            &[ADD, ADDABLE],
            &[&[
                "mix",
                "mixing",
                "remix",
                "mashup",
                "combine",
                "merge",
                "join",
                "concatenate",
                "overlay",
                "混音",
                "混合",
                "合并",
                "拼接",
                "叠加",
                "配乐",
            ]],
        ],
        key: Key::RefuseMix,
    },
    Refusal {
        rules: &[
            &[&[
                "vocal",
                "vocals",
                "acapella",
                "a cappella",
                "a capella",
                "karaoke",
                "instrumental",
                "stems",
                "background music",
                "just the voice",
                "only the voice",
                "just the dialogue",
                "only the dialogue",
                "dialogue only",
                "人声",
                "伴奏",
                "卡拉ok",
                "清唱",
                "背景音乐",
                "背景乐",
            ]],
            &[
                &["isolate", "separate", "split", "分离", "单独"],
                &[
                    "voice", "speech", "dialogue", "dialog", "music", "singer", "singing", "音乐",
                    "说话",
                ],
            ],
        ],
        key: Key::RefuseVocals,
    },
    Refusal {
        rules: &[&[&[
            "louder",
            "quieter",
            "amplify",
            "turn up",
            "turn down",
            "turn it up",
            "volume up",
            "volume down",
            "increase the volume",
            "decrease the volume",
            "raise the volume",
            "lower the volume",
            "increase volume",
            "reduce the volume",
            "boost the volume",
            "boost volume",
            "gain",
            "大声",
            "调大",
            "调小",
            "增大音量",
            "提高音量",
            "降低音量",
            "音量调大",
            "音量调小",
            "增益",
            "小声",
        ]]],
        key: Key::RefuseVolume,
    },
    Refusal {
        rules: &[&[&[
            "fade",
            "fade in",
            "fade out",
            "echo",
            "reverb",
            "equalizer",
            "equaliser",
            "eq",
            "bass",
            "treble",
            "reverse",
            "loop",
            "surround",
            "淡入",
            "淡出",
            "渐入",
            "渐出",
            "混响",
            "均衡",
            "低音",
            "倒放",
            "循环",
            "环绕声",
        ]]],
        key: Key::RefuseEffects,
    },
    Refusal {
        rules: &[&[&[
            "silence",
            "silences",
            "silent parts",
            "pauses",
            "静音",
            "空白部分",
            "停顿",
        ]]],
        key: Key::RefuseSilence,
    },
    Refusal {
        rules: &[
            &[&[
                "resize",
                "crop",
                "rotate",
                "flip",
                "watermark",
                "logo",
                "sticker",
                "thumbnail",
                "1080p",
                "720p",
                "480p",
                "2160p",
                "4k",
                "aspect ratio",
                "frame rate",
                "fps",
                "resolution",
                "add text",
                "text overlay",
                "brightness",
                "contrast",
                "colour",
                "color",
                "transition",
                "blur",
                "vertical video",
                "send me the video",
                "裁剪",
                "剪裁",
                "调整大小",
                "视频尺寸",
                "分辨率",
                "水印",
                "旋转",
                "翻转",
                "滤镜",
                "加文字",
                "添加文字",
                "贴纸",
                "封面",
                "帧率",
                "横屏",
                "竖屏",
                "转场",
                "剪辑视频",
                "编辑视频",
            ]],
            &[&["edit", "editing"], &["video"]],
            &[
                &["调整", "修改", "提高", "改善", "改", "裁"],
                &["画面", "画质"],
            ],
        ],
        key: Key::RefuseVideoEdit,
    },
    Refusal {
        rules: &[&[&[
            "bit depth",
            "bit-depth",
            "位深",
            "24-bit",
            "24 bit",
            "32-bit",
            "32 bit",
            "16-bit",
            "16 bit",
            "8-bit",
        ]]],
        key: Key::RefuseBitDepth,
    },
];

const SETTINGS: &[&str] = &["人声优化"];

/// Why `t` asks for something we cannot do, in `lang`; `None` when it does not.
pub(crate) fn refusal(t: &Tokens, lang: Lang) -> Option<String> {
    // Settings whose words a refusal would take for something else: "人声优化" (tuned for
    // the voice) is not "人声" (separating the vocals).
    let mut t = t.clone();
    while let Some((i, n)) = t.find_any(SETTINGS) {
        t.take(i, n);
    }
    let t = &t;
    for r in REFUSALS {
        if r.rules
            .iter()
            .any(|rule| rule.iter().all(|group| t.has_any(group)))
        {
            return Some(say(lang, r.key, &[]));
        }
    }
    // A video file as the result: "to mp4", "转成视频", "export video".
    for i in 0..t.len() {
        if let Some((_, n)) = t.at_any(i, VIDEO_OUT_VERB) {
            let j = if t.word(i + n) == Some("the") || t.word(i + n) == Some("a") {
                i + n + 1
            } else {
                i + n
            };
            if t.at_any(j, VIDEO_EXTS).is_some() || t.at_any(j, VIDEO_WORDS).is_some() {
                return Some(say(lang, Key::RefuseVideoFile, &[]));
            }
        }
        // "the second half" (but "the first half minute" is a length).
        let ordinal_before = i > 0
            && t.at_any(i - 1, &["first", "second", "last", "latter", "the"])
                .is_some();
        let unit_after = t
            .at_any(
                i + 1,
                &[
                    "a", "an", "minute", "minutes", "min", "mins", "hour", "hours",
                ],
            )
            .is_some();
        if t.at(i, "half").is_some() && ordinal_before && !unit_after {
            return Some(say(lang, Key::RefuseFraction, &[]));
        }
        // Encoder presets ("v2", "q5"): not something the spec carries; "v0"/"q10" are "high".
        if let Some(w) = t.word(i) {
            let preset = w.len() <= 3
                && (w.starts_with('v') || w.starts_with('q'))
                && w[1..].chars().all(|c| c.is_ascii_digit())
                && w.len() > 1;
            if preset && w != "v0" && w != "q10" {
                return Some(say(lang, Key::RefuseEncoderPreset, &[("preset", w)]));
            }
        }
        // "2x", "1.5x" speed.
        if matches!(t.tok(i), Some(Tok::Num(_))) && t.word(i + 1) == Some("x") {
            return Some(say(lang, Key::RefuseSpeed, &[]));
        }
    }
    let (i, n) = t.find_any(OTHER_FORMATS)?;
    let name = t.text(i, i + n).to_ascii_uppercase();
    Some(say(lang, Key::RefuseOtherFormat, &[("name", &name)]))
}

/// Parts named by what happens in them, left over once times are read: "skip the intro" cannot
/// be cut without knowing when the intro ends, so it is asked back rather than ignored.
const CONTENT_PARTS: &[&str] = &[
    "intro",
    "outro",
    "chorus",
    "verse",
    "middle",
    "ending",
    "opening",
    "the part where",
    "the bit where",
    "片头",
    "片尾",
    "开头",
    "结尾",
    "中间",
    "高潮",
    "副歌",
    "中间部分",
];

/// Why a part described by its content cannot be cut; `None` when there is none.
pub(crate) fn vague_part(t: &Tokens, lang: Lang) -> Option<String> {
    let (i, n) = t.find_any(CONTENT_PARTS)?;
    let what = t.text(i, i + n);
    Some(say(lang, Key::RefuseVaguePart, &[("what", &what)]))
}
