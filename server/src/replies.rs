//! Texts the server answers with in `/run_sse` beyond the wording crate's help and refusal
//! replies (`v2a_wording::{help_text, unsupported_text}`), in the message's language.

use v2a_protocol::paths;
use v2a_wording::Lang;

use crate::db::{self, MediaRow, OutputRow};

/// How to upload, in plain words.
pub fn upload_how(session_id: &str, lang: Lang) -> String {
    let path = paths::upload(session_id);
    match lang {
        Lang::En => format!(
            "To add a video, upload it with POST {path} as multipart form data (field \"file\"), or send JSON {{\"url\": \"https://...\"}} to let the server fetch it. Then tell me what to extract, for example \"extract as MP3\"."
        ),
        Lang::Zh => format!(
            "要添加视频，请用 POST {path} 以 multipart 表单上传（字段名 \"file\"），或发送 JSON {{\"url\": \"https://...\"}} 让服务器去下载。然后告诉我要提取什么，例如“提取为 MP3”。"
        ),
    }
}

/// The answer to "credits".
pub fn credits(available: i64, frozen: i64, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "You have {available} credits available ({frozen} held by running extractions). Each extraction costs one credit."
        ),
        Lang::Zh => format!("你有 {available} 个可用积分（{frozen} 个被进行中的提取占用）。每次提取消耗一个积分。"),
    }
}

/// The answer to "status": the uploads and results of the session.
pub fn status(uploads: &[MediaRow], outputs: &[OutputRow], lang: Lang) -> String {
    if uploads.is_empty() {
        return match lang {
            Lang::En => "Nothing uploaded yet in this session. Upload a video, then tell me what to extract.".into(),
            Lang::Zh => "这个会话还没有上传任何文件。请先上传视频，再告诉我要提取什么。".into(),
        };
    }
    let ups = uploads
        .iter()
        .map(|m| {
            format!(
                "{} ({}, {})",
                m.name,
                m.container.to_uppercase(),
                v2a_protocol::units::duration(m.duration)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let outs = outputs
        .iter()
        .map(|o| format!("{} ({})", o.name, db::status_str(o.status)))
        .collect::<Vec<_>>();
    match (lang, outs.is_empty()) {
        (Lang::En, true) => format!("Uploads: {ups}. Results: no extractions yet."),
        (Lang::En, false) => format!("Uploads: {ups}. Results: {}.", outs.join("; ")),
        (Lang::Zh, true) => format!("上传：{ups}。结果：还没有提取。"),
        (Lang::Zh, false) => format!("上传：{ups}。结果：{}。", outs.join("；")),
    }
}

/// The answer to an extraction request in a session without uploads.
pub fn upload_first(session_id: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "Upload a video first, then ask again. {}",
            upload_how(session_id, lang)
        ),
        Lang::Zh => format!(
            "请先上传视频，然后再问一次。{}",
            upload_how(session_id, lang)
        ),
    }
}
