//! Texts the server answers with in `/run_sse` beyond the wording crate's help and refusal
//! replies (`video_to_audio::wording::{help_text, unsupported_text}`).

use video_to_audio::protocol::paths;

/// How to upload, in plain words.
pub fn upload_how(session_id: &str) -> String {
    format!(
        "To add a video, upload it with POST {} as multipart form data (field \"file\"), or send JSON {{\"url\": \"https://...\"}} to let the server fetch it. Then tell me what to extract, for example \"extract as MP3\".",
        paths::upload(session_id)
    )
}
