//! The reference's keyword routing: which API action a message goes to before any SSE.
//!
//! Rule: "export"/"download"/"upload" words route away from `/run_sse` only when the message
//! does not also ask for an extraction. "download as mp3", "export to wav" and "导出音频" are
//! extraction requests worded with an export verb, so they go to `Run`; a bare "export" or
//! "导出" goes to `Export`. Credits and status words always route to their action, because no
//! extraction request is worded with them.

use super::spec::{Intent, Route};
use super::tokens::Tokens;
use super::understand;

const EXPORT: &[&str] = &[
    "export",
    "导出",
    "download",
    "下载",
    "send me the video",
    "send the video",
];
const CREDITS: &[&str] = &["credits", "credit", "积分", "balance", "余额"];
const STATUS: &[&str] = &[
    "status",
    "状态",
    "show tracks",
    "show the tracks",
    "list tracks",
    "list the tracks",
];
const UPLOAD: &[&str] = &["upload", "上传"];

/// The reference's keyword routing (export / credits / status / upload, in English and Chinese);
/// everything else goes to `/run_sse`. Whole words, case-insensitive.
pub fn route(message: &str) -> Route {
    let t = Tokens::new(message);
    let extraction = matches!(understand(message), Intent::Extract { .. });
    if t.has_any(EXPORT) && !extraction {
        Route::Export
    } else if t.has_any(CREDITS) {
        Route::Credits
    } else if t.has_any(STATUS) {
        Route::Status
    } else if t.has_any(UPLOAD) && !extraction {
        Route::Upload
    } else {
        Route::Run
    }
}
