//! Texts the server answers with in `/run_sse` that are not extraction results.

use video_to_audio::protocol::paths;

/// Help, when a message has nothing to act on.
pub fn help(zh: bool) -> String {
    if zh {
        return "我可以把视频里的声音提取成音频文件。先上传视频，然后告诉我想要什么，例如：\"提取为 MP3\"、\"从 0:30 到 2:15 转成 WAV\"、\"前 30 秒，192 kbps\"、\"标准化到播客响度\"。支持 MP3、M4A、WAV、FLAC、OGG、Opus，或保留原始音轨不重新编码。".into();
    }
    "I take the sound out of your videos. Upload a video, then say what you want, for example: \"extract as MP3\", \"WAV from 0:30 to 2:15\", \"the first 30 seconds at 192 kbps\", \"normalize to podcast loudness\", \"keep the original audio\". Formats: MP3, M4A, WAV, FLAC, OGG, Opus.".into()
}

/// The reply to something this product cannot do.
pub fn unsupported(reason: &str, zh: bool) -> String {
    if zh {
        return format!("这个我做不到（{reason}）。我只能提取音频：选择格式、音质、时间段、声道、采样率和响度标准化。");
    }
    format!("I can't do that ({reason}). I can only extract the audio: choose a format, quality, time range, channels, sample rate and loudness normalisation.")
}

/// How to upload, in plain words.
pub fn upload_how(session_id: &str) -> String {
    format!(
        "To add a video, upload it with POST {} as multipart form data (field \"file\"), or send JSON {{\"url\": \"https://...\"}} to let the server fetch it. Then tell me what to extract, for example \"extract as MP3\".",
        paths::upload(session_id)
    )
}

/// Whether a message is mostly Chinese.
pub fn is_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}
