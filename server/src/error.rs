//! The one error type every handler returns: it logs the internals and answers the envelope
//! `{"code": N, "message": "...", "data": null}` with the matching HTTP status.

use axum::extract::multipart::MultipartError;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use v2a_protocol::text::{self, say, Key};
use v2a_protocol::{ApiCode, Lang};

/// Code for "the URL could not be fetched or is refused" (HTTP 422). The extension falls back
/// to uploading the bytes itself when it sees it.
pub const URL_REFUSED: i64 = 4003;

/// Code for "the server's disk is full" (HTTP 507 Insufficient Storage).
pub const DISK_FULL: i64 = 507;

/// Every way a request fails, each with a sentence for a person and a next step (keys of
/// `v2a_protocol::text`, in English: most are refused before a session, and so a language, is
/// known).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{}", say(Lang::En, Key::ApiTokenInvalid, &[]))]
    TokenInvalid,
    #[error("{}", say(Lang::En, Key::ApiLinkInvalid, &[]))]
    LinkInvalid,
    #[error("{}", say(Lang::En, Key::ApiSessionNotFound, &[]))]
    SessionNotFound,
    /// 404 for media, files, renders and routes; the text says what is missing.
    #[error("{0}")]
    NotFound(String),
    #[error("{}", say(Lang::En, Key::ApiOutOfCredits, &[]))]
    OutOfCredits,
    /// 4001; the text is the reason and lists the accepted types (see [`ApiError::unsupported`]).
    #[error("{0}")]
    Unsupported(String),
    /// 4002; carries the limit in bytes. The sentence is the shared [`text::too_large`], so
    /// the extension's own pre-upload check says exactly the same thing.
    #[error("{}", text::too_large(Lang::En, *.0))]
    TooLarge(u64),
    #[error("{}", say(Lang::En, Key::ApiMissingClientId, &[]))]
    MissingClientId,
    /// 400 for other malformed requests; the text says what is wrong.
    #[error("{0}")]
    BadRequest(String),
    #[error("{}", say(Lang::En, Key::ApiRateLimited, &[("seconds", &.0.to_string())]))]
    RateLimited(u64),
    /// 4003; the text says why the URL was not fetched.
    #[error("{}", say(Lang::En, Key::ApiUrlRefused, &[("reason", .0)]))]
    UrlRefused(String),
    /// 4003: a URL with `user:password@`, refused before any connection.
    #[error("{}", say(Lang::En, Key::UrlHasCredentials, &[]))]
    UrlHasCredentials,
    /// 413 for a JSON body over its limit (bytes); uploads say [`ApiError::TooLarge`].
    #[error("{}", say(Lang::En, Key::RequestTooLarge, &[("max", &v2a_protocol::units::size(*.0))]))]
    BodyTooLarge(u64),
    /// 408: the body went quiet past `--body-timeout-secs`.
    #[error("{}", say(Lang::En, Key::RequestTooSlow, &[]))]
    TooSlow,
    /// 507: no room left on the server's disk (the upload was removed).
    #[error("{}", say(Lang::En, Key::DiskFull, &[]))]
    DiskFull,
    /// Anything unexpected; the detail is logged, never sent.
    #[error("{}", say(Lang::En, Key::ApiInternal, &[]))]
    Internal(String),
}

impl ApiError {
    /// The envelope code.
    pub fn code(&self) -> i64 {
        match self {
            Self::TokenInvalid | Self::LinkInvalid => ApiCode::TokenInvalid.code(),
            Self::SessionNotFound => ApiCode::SessionNotFound.code(),
            Self::NotFound(_) => 404,
            Self::OutOfCredits => ApiCode::OutOfCredits.code(),
            Self::Unsupported(_) => ApiCode::UnsupportedType.code(),
            Self::TooLarge(_) => ApiCode::TooLarge.code(),
            Self::MissingClientId | Self::BadRequest(_) => ApiCode::BadRequest.code(),
            Self::RateLimited(_) => ApiCode::RateLimited.code(),
            Self::UrlRefused(_) | Self::UrlHasCredentials => URL_REFUSED,
            Self::DiskFull => DISK_FULL,
            Self::BodyTooLarge(_) => 413,
            Self::TooSlow => 408,
            Self::Internal(_) => 500,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        let code = match self {
            Self::UrlRefused(_) | Self::UrlHasCredentials => 422,
            _ => ApiCode::from_code(self.code()).http_status(),
        };
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// 4001 with `reason`, adding the shared list of accepted types ([`text::accepted`])
    /// when the reason lacks it.
    pub fn unsupported(reason: impl Into<String>, lang: Lang) -> Self {
        let (reason, accepted) = (reason.into(), text::accepted(lang));
        if reason.contains(&accepted) {
            Self::Unsupported(reason)
        } else {
            Self::Unsupported(format!("{reason} {accepted}"))
        }
    }

    /// Wrap an unexpected failure; `what` is logged with it.
    pub fn internal(what: impl std::fmt::Display) -> Self {
        Self::Internal(what.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            Self::Internal(detail) => tracing::error!(%detail, "internal error"),
            other => tracing::debug!(code = other.code(), "request refused: {other}"),
        }
        let body = json!({ "code": self.code(), "message": self.to_string(), "data": null });
        let mut response = (self.status(), Json(body)).into_response();
        if let Self::RateLimited(secs) = self {
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from(secs));
        }
        response
    }
}

impl From<crate::db::DbError> for ApiError {
    fn from(e: crate::db::DbError) -> Self {
        Self::internal(e)
    }
}

impl From<std::io::Error> for ApiError {
    /// A full disk (or quota) is said as such, wherever it happens; the rest is internal.
    fn from(e: std::io::Error) -> Self {
        // raw_os_error rather than ErrorKind::StorageFull, which is newer than our rust-version.
        if matches!(e.raw_os_error(), Some(libc::ENOSPC | libc::EDQUOT)) {
            tracing::error!(error = %e, "the disk is full");
            Self::DiskFull
        } else {
            Self::internal(e)
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        if crate::limits::timed_out(&e) {
            return Self::TooSlow;
        }
        Self::BadRequest(say(
            Lang::En,
            Key::ApiBadJson,
            &[("detail", &e.body_text())],
        ))
    }
}

impl From<MultipartError> for ApiError {
    fn from(e: MultipartError) -> Self {
        if crate::limits::timed_out(&e) {
            return Self::TooSlow;
        }
        Self::BadRequest(say(
            Lang::En,
            Key::ApiBadMultipart,
            &[("detail", &e.body_text())],
        ))
    }
}

/// `Json<T>` whose rejection is an [`ApiError`] envelope.
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// The success envelope.
pub fn ok<T: serde::Serialize>(data: T) -> Json<serde_json::Value> {
    Json(json!({ "code": 0, "message": "ok", "data": data }))
}

/// Handlers' result type.
pub type ApiResult<T> = Result<T, ApiError>;
