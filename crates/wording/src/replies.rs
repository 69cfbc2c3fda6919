//! The sentences the server sends back, in the language of the message.

pub use v2a_protocol::Lang;

use super::spec::ExtractionSpec;
use super::summary::summary_in;
use super::text::is_han;

/// Whether the message contains Chinese characters.
pub fn is_chinese(message: &str) -> bool {
    message.chars().any(is_han)
}

/// Reply in Chinese to a message with Chinese characters in it, else in English.
pub fn detect_lang(message: &str) -> Lang {
    if is_chinese(message) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// What the product can do, with example requests.
pub fn help_text(lang: Lang) -> String {
    match lang {
        Lang::En => "I take the sound out of your uploaded video and give it back as an audio \
file. Tell me the format (MP3, M4A, WAV, FLAC, Ogg or Opus, or the original audio untouched), \
and if you like a bitrate, sample rate, mono or stereo, a time range, loudness normalisation, \
which upload or audio track, and a file name. For example:\n\
• “extract the audio as MP3 at 192 kbps”\n\
• “WAV, 48 kHz, mono, from 0:30 to 2:15”\n\
• “the last minute of the second video as M4A, normalised for podcasts”\n\
• “the Spanish track in original quality, name it interview”"
            .to_string(),
        Lang::Zh => {
            "我可以把你上传的视频里的声音提取出来，生成音频文件。告诉我格式（MP3、M4A、WAV、\
FLAC、Ogg 或 Opus，或保留原始音频不重新编码），还可以指定码率、采样率、单声道或立体声、时间范围、\
响度标准化、第几个上传的视频或哪条音轨，以及文件名。例如：\n\
• “提取音频为MP3，192k”\n\
• “转成wav，48kHz，单声道，从0:30到2:15”\n\
• “第二个视频的最后一分钟，转成m4a，播客响度”\n\
• “英语音轨，原始音质，命名为 采访”"
                .to_string()
        }
    }
}

/// The reply to [`Intent::Unsupported`](super::Intent::Unsupported): one sentence naming what
/// was asked and that it cannot be done, then what can be done.
pub fn unsupported_text(reason: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "Sorry, I can't help with this: {reason}. What I can do is take the sound out of \
your video as MP3, M4A, WAV, FLAC, Ogg or Opus, with a bitrate, sample rate, mono or stereo, a \
time range, loudness normalisation and a file name — for example “extract the audio as MP3 from \
0:30 to 2:15”."
        ),
        Lang::Zh => format!(
            "抱歉，这个我做不到：{reason}。我能做的是把视频里的声音提取为 MP3、M4A、WAV、FLAC、\
Ogg 或 Opus，可以指定码率、采样率、单声道或立体声、时间范围、响度标准化和文件名——例如“提取音频为\
MP3，从0:30到2:15”。"
        ),
    }
}

/// The sentence said before an extraction starts: "Extracting: MP3 · 192 kbps · 0:30–2:15."
pub fn plan_text(spec: &ExtractionSpec, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Extracting the audio: {}.", summary_in(spec, lang)),
        Lang::Zh => format!("正在提取音频：{}。", summary_in(spec, lang)),
    }
}
