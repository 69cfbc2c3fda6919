//! The one error type every handler returns: it logs the internals and answers the envelope
//! `{"code": N, "message": "...", "data": null}` with the matching HTTP status.

use axum::extract::multipart::MultipartError;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use v2a_protocol::text::{self, say, Key, Said};
use v2a_protocol::{ApiCode, Lang};

/// Code for "the URL could not be fetched or is refused" (HTTP 422). The extension falls back
/// to uploading the bytes itself when it sees it.
pub const URL_REFUSED: i64 = 4003;

/// Code for "the server's disk is full" (HTTP 507 Insufficient Storage).
pub const DISK_FULL: i64 = 507;

/// Every way a request fails, each with a sentence for a person and a next step (keys of
/// `v2a_protocol::text`). The response says it in [`crate::reply_lang::current`]'s language (the
/// session's, or before one is known the request's `Accept-Language`); `Display` is the
/// English, for the log.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.say(Lang::En))]
pub enum ApiError {
    TokenInvalid,
    LinkInvalid,
    SessionNotFound,
    /// 404 for media, files, renders and routes; the sentence says what is missing.
    NotFound(Said),
    OutOfCredits,
    /// 4001; the reason, said in the session's language, with the accepted types (see
    /// [`ApiError::unsupported`]).
    Unsupported(String),
    /// 4002; carries the limit in bytes. The sentence is the shared [`text::too_large`], so
    /// the extension's own pre-upload check says exactly the same thing.
    TooLarge(u64),
    MissingClientId,
    /// 400 for other malformed requests; the sentence says what is wrong.
    BadRequest(Said),
    /// Seconds to wait.
    RateLimited(u64),
    /// 4003; the text says why the URL was not fetched.
    UrlRefused(String),
    /// 4003: a URL with `user:password@`, refused before any connection.
    UrlHasCredentials,
    /// 413 for a JSON body over its limit (bytes); uploads say [`ApiError::TooLarge`].
    BodyTooLarge(u64),
    /// 408: the body went quiet past `--body-timeout-secs`.
    TooSlow,
    /// 507: no room left on the server's disk (the upload was removed).
    DiskFull,
    /// Anything unexpected; the detail is logged, never sent.
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

    /// The sentence a person reads, in `lang`.
    pub fn say(&self, lang: Lang) -> String {
        let key = match self {
            Self::NotFound(said) | Self::BadRequest(said) => return said.say(lang),
            Self::Unsupported(text) => return text.clone(),
            Self::TooLarge(max) => return text::too_large(lang, *max),
            Self::RateLimited(secs) => {
                return say(lang, Key::ApiRateLimited, &[("seconds", &secs.to_string())])
            }
            Self::UrlRefused(reason) => {
                return say(lang, Key::ApiUrlRefused, &[("reason", reason)])
            }
            Self::BodyTooLarge(max) => {
                let max = v2a_protocol::units::size(*max);
                return say(lang, Key::RequestTooLarge, &[("max", &max)]);
            }
            Self::TokenInvalid => Key::ApiTokenInvalid,
            Self::LinkInvalid => Key::ApiLinkInvalid,
            Self::SessionNotFound => Key::ApiSessionNotFound,
            Self::OutOfCredits => Key::ApiOutOfCredits,
            Self::MissingClientId => Key::ApiMissingClientId,
            Self::UrlHasCredentials => Key::UrlHasCredentials,
            Self::TooSlow => Key::RequestTooSlow,
            Self::DiskFull => Key::DiskFull,
            Self::Internal(_) => Key::ApiInternal,
        };
        say(lang, key, &[])
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
        let message = self.say(crate::reply_lang::current());
        let body = json!({ "code": self.code(), "message": message, "data": null });
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
        Self::BadRequest(Said::new(Key::ApiBadJson, &[("detail", &e.body_text())]))
    }
}

impl From<MultipartError> for ApiError {
    fn from(e: MultipartError) -> Self {
        if crate::limits::timed_out(&e) {
            return Self::TooSlow;
        }
        Self::BadRequest(Said::new(
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
