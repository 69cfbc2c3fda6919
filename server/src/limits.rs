//! How much and how slowly a client may send: a declared `Content-Length` over a route's limit
//! is refused before a byte of the body is read, and a body that goes quiet for longer than
//! `--body-timeout-secs` ends its request with [`ApiError::TooSlow`].

use axum::extract::Request;
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::timeout::TimeoutError;

use crate::error::ApiError;

/// Largest body of the JSON endpoints (a message, a render request): generous for text.
pub const JSON_BODY_LIMIT: usize = 1024 * 1024;

/// Multipart framing and small fields on top of an uploaded file itself.
pub const UPLOAD_SLACK_BYTES: u64 = 1024 * 1024;

/// A route's body limit and what to say when a request declares more.
#[derive(Debug, Clone, Copy)]
pub enum BodyLimit {
    /// An upload: the file limit (the sentence names it) plus [`UPLOAD_SLACK_BYTES`].
    Upload { max_file: u64 },
    /// Any other endpoint: [`JSON_BODY_LIMIT`].
    Json,
}

impl BodyLimit {
    /// Bytes a body may have.
    pub fn bytes(self) -> u64 {
        match self {
            Self::Upload { max_file } => max_file.saturating_add(UPLOAD_SLACK_BYTES),
            Self::Json => JSON_BODY_LIMIT as u64,
        }
    }

    fn refusal(self) -> ApiError {
        match self {
            Self::Upload { max_file } => ApiError::TooLarge(max_file),
            Self::Json => ApiError::BodyTooLarge(JSON_BODY_LIMIT as u64),
        }
    }
}

/// Middleware: answer 413 at once when `Content-Length` says the body is over `limit`.
pub async fn refuse_declared_oversize(limit: BodyLimit, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit.bytes()) {
        return limit.refusal().into_response();
    }
    next.run(request).await
}

/// Whether `error` (or anything under it) is a body read timing out.
pub fn timed_out(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if e.is::<TimeoutError>() {
            return true;
        }
        cause = e.source();
    }
    false
}
