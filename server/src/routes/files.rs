//! `GET|HEAD /api/files/<media_id>`: download a generated file, with single-range requests,
//! authorized by the Bearer token or by the signed query of `download_url`.

use std::io::SeekFrom;

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Query, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tokio_util::io::ReaderStream;
use v2a_protocol::text::{Key, Said};
use v2a_protocol::JobStatus;

use crate::auth::Caller;
use crate::db::{self, OutputRow};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Signed {
    exp: Option<i64>,
    sig: Option<String>,
}

fn no_such_file() -> ApiError {
    ApiError::NotFound(Said::new(Key::ApiNoSuchFile, &[]))
}

fn removed(state: &AppState) -> ApiError {
    let hours = state.config.retention_hours.to_string();
    ApiError::NotFound(Said::new(Key::ApiFileRemoved, &[("hours", &hours)]))
}

pub async fn download(
    State(state): State<AppState>,
    Path(media_id): Path<String>,
    Query(signed): Query<Signed>,
    request: Request,
) -> ApiResult<Response> {
    let (mut parts, _body) = request.into_parts();
    let id = media_id.clone();
    let row = state.db.call(move |c| db::find_output(c, &id)).await?;
    let row = match (signed.exp, signed.sig.as_deref()) {
        (Some(exp), Some(sig)) => {
            if !state.signer.verify(&media_id, exp, sig) {
                return Err(ApiError::LinkInvalid);
            }
            let row = row.ok_or_else(no_such_file)?;
            if exp < db::now() {
                return Err(removed(&state));
            }
            row
        }
        _ => {
            let caller = Caller::from_request_parts(&mut parts, &state).await?;
            row.filter(|r| r.token_id == caller.token_id)
                .ok_or_else(no_such_file)?
        }
    };
    serve(
        &state,
        &row,
        &parts.method,
        parts.headers.get(header::RANGE),
    )
    .await
}

async fn serve(
    state: &AppState,
    row: &OutputRow,
    method: &Method,
    range: Option<&HeaderValue>,
) -> ApiResult<Response> {
    match row.status {
        JobStatus::Done => {}
        JobStatus::Expired => return Err(removed(state)),
        JobStatus::Failed => {
            return Err(ApiError::NotFound(match row.error.as_deref() {
                // The job's own sentence, as it was recorded.
                Some(reason) => Said::new(Key::ApiFileFailed, &[("reason", reason)]),
                None => Said::new(Key::ApiFileFailed, &[])
                    .with("reason", Said::new(Key::ApiUnknownReason, &[])),
            }));
        }
        JobStatus::Queued | JobStatus::Running => {
            return Err(ApiError::NotFound(Said::new(Key::ApiFileRunning, &[])))
        }
    }
    let path = row.path.as_deref().ok_or_else(|| removed(state))?;
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|_| removed(state))?;
    let size = file.metadata().await?.len();
    let wanted = range
        .and_then(|v| v.to_str().ok())
        .map(|v| parse_range(v, size));
    let (status, start, len) = match wanted {
        None | Some(RangeAsk::Ignore) => (StatusCode::OK, 0, size),
        Some(RangeAsk::Unsatisfiable) => {
            return Ok((
                StatusCode::RANGE_NOT_SATISFIABLE,
                [(header::CONTENT_RANGE, format!("bytes */{size}"))],
                Body::empty(),
            )
                .into_response())
        }
        Some(RangeAsk::Range(start, end)) => (StatusCode::PARTIAL_CONTENT, start, end - start + 1),
    };
    let mut builder = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type(&row.format))
        .header(header::CONTENT_LENGTH, len)
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::CONTENT_DISPOSITION, content_disposition(&row.name))
        .header(header::CACHE_CONTROL, "private, max-age=3600");
    if status == StatusCode::PARTIAL_CONTENT {
        builder = builder.header(
            header::CONTENT_RANGE,
            format!("bytes {start}-{}/{size}", start + len - 1),
        );
    }
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        file.seek(SeekFrom::Start(start)).await?;
        Body::from_stream(ReaderStream::new(file.take(len)))
    };
    builder.body(body).map_err(ApiError::internal)
}

/// What a Range header asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum RangeAsk {
    /// Inclusive byte range.
    Range(u64, u64),
    Unsatisfiable,
    /// Malformed or multi-range: serve the whole file (allowed by RFC 9110).
    Ignore,
}

/// Parse a single `bytes=` range against a file of `size` bytes.
pub fn parse_range(value: &str, size: u64) -> RangeAsk {
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return RangeAsk::Ignore;
    };
    if spec.contains(',') {
        return RangeAsk::Ignore;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return RangeAsk::Ignore;
    };
    let (a, b) = (a.trim(), b.trim());
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(start), Ok(end)) if start <= end => {
            if start >= size {
                RangeAsk::Unsatisfiable
            } else {
                RangeAsk::Range(start, end.min(size - 1))
            }
        }
        (Ok(start), Err(_)) if b.is_empty() => {
            if start >= size {
                RangeAsk::Unsatisfiable
            } else {
                RangeAsk::Range(start, size - 1)
            }
        }
        (Err(_), Ok(suffix)) if a.is_empty() => {
            if suffix == 0 || size == 0 {
                RangeAsk::Unsatisfiable
            } else {
                RangeAsk::Range(size - suffix.min(size), size - 1)
            }
        }
        _ => RangeAsk::Ignore,
    }
}

/// Content-Type by output extension.
pub fn content_type(format: &str) -> &'static str {
    v2a_protocol::formats::mime_of_extension(format)
}

/// `attachment` with an ASCII fallback name and the exact UTF-8 name.
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        utf8_percent_encode(name, NON_ALPHANUMERIC)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-99", 1000), RangeAsk::Range(0, 99));
        assert_eq!(parse_range("bytes=900-", 1000), RangeAsk::Range(900, 999));
        assert_eq!(parse_range("bytes=-100", 1000), RangeAsk::Range(900, 999));
        assert_eq!(
            parse_range("bytes=990-2000", 1000),
            RangeAsk::Range(990, 999)
        );
        assert_eq!(parse_range("bytes=1000-", 1000), RangeAsk::Unsatisfiable);
        assert_eq!(parse_range("bytes=0-1,5-6", 1000), RangeAsk::Ignore);
        assert_eq!(parse_range("items=0-1", 1000), RangeAsk::Ignore);
    }

    #[test]
    fn disposition_has_safe_and_exact_names() {
        assert_eq!(
            content_disposition("讲座 1.mp3"),
            "attachment; filename=\"__ 1.mp3\"; filename*=UTF-8''%E8%AE%B2%E5%BA%A7%201%2Emp3"
        );
    }
}
