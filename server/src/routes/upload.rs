//! `POST /api/upload-video/nemo_agent/me/<sid>`: a multipart file streamed to disk, or JSON
//! `{"url": ...}` fetched by the server; either way probed by content and stored.

use std::path::{Path, PathBuf};

use axum::extract::{FromRequest, Multipart, Path as UrlPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use tokio::io::AsyncWriteExt;
use v2a_protocol::text::{Key, Said};
use v2a_protocol::UrlUpload;

use crate::auth::Caller;
use crate::db::{self, MediaRow};
use crate::error::{ok, ApiError, ApiResult};
use crate::fetch::{self, FetchRules};
use crate::media::{self, MediaError};
use crate::routes::account::owned_session;
use crate::state::AppState;

/// Largest JSON body of a by-URL upload: a URL and a name.
const URL_BODY_LIMIT: usize = 64 * 1024;

/// A file in the tmp dir that is removed unless it is kept.
struct TempFile(Option<PathBuf>);

impl TempFile {
    fn path(&self) -> &Path {
        self.0.as_deref().expect("path is present until kept")
    }
    /// Move it to `dest` and stop guarding it; if the move fails it is still removed.
    async fn keep_as(mut self, dest: &Path) -> std::io::Result<()> {
        tokio::fs::rename(self.path(), dest).await?;
        self.0 = None;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    UrlPath(session_id): UrlPath<String>,
    request: Request,
) -> ApiResult<impl IntoResponse> {
    let session = owned_session(&state, &caller, &session_id).await?;
    let content_type = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let temp = TempFile(Some(
        state
            .tmp_dir()
            .join(format!("{}.part", uuid::Uuid::new_v4())),
    ));
    let name = if content_type.starts_with("multipart/form-data") {
        let multipart = Multipart::from_request(request, &state)
            .await
            .map_err(|e| {
                if crate::limits::timed_out(&e) {
                    return ApiError::TooSlow;
                }
                ApiError::BadRequest(Said::new(
                    Key::ApiBadMultipart,
                    &[("detail", &e.body_text())],
                ))
            })?;
        receive_multipart(multipart, temp.path(), state.config.max_upload_bytes()).await?
    } else if content_type.starts_with("application/json") {
        // The route's body limit is sized for files; a URL request is tiny, so read it under its
        // own small cap rather than letting a JSON body take up to the upload limit in memory.
        let bytes = axum::body::to_bytes(request.into_body(), URL_BODY_LIMIT)
            .await
            .map_err(|e| {
                if crate::limits::timed_out(&*e.into_inner()) {
                    return ApiError::TooSlow;
                }
                ApiError::BadRequest(Said::new(Key::ApiUrlBodyHow, &[]))
            })?;
        let body: UrlUpload = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::BadRequest(Said::new(Key::ApiBadUrlBody, &[("detail", &e.to_string())]))
        })?;
        let rules = FetchRules {
            max_bytes: state.config.max_upload_bytes(),
            allow_private: state.config.allow_private_urls,
        };
        tracing::info!(url = %fetch::loggable(&body.url), "fetching upload by URL");
        let final_url = fetch::download(&body.url, temp.path(), rules).await?;
        fetch::name_from_url(&final_url, body.name.as_deref())
    } else {
        return Err(ApiError::BadRequest(Said::new(Key::ApiUploadHow, &[])));
    };
    let probed = match media::probe(&state.tools, temp.path()).await {
        Ok(p) => p,
        Err(e @ (MediaError::Unsupported(_) | MediaError::Failed(_))) => {
            // In the session's language, else the request's (reply_lang).
            let lang = crate::reply_lang::current();
            return Err(ApiError::unsupported(e.say(lang), lang));
        }
        Err(other) => return Err(ApiError::internal(format!("probe failed: {other}"))),
    };
    let id = uuid::Uuid::new_v4().to_string();
    let dest = state.media_dir().join(format!("{id}.{}", probed.container));
    let size = tokio::fs::metadata(temp.path()).await?.len();
    temp.keep_as(&dest).await?;
    let row = MediaRow {
        id,
        session_id: session.id,
        token_id: caller.token_id,
        name: v2a_protocol::units::safe_name(&name),
        container: probed.container,
        duration: probed.duration,
        size,
        audio_streams: probed.audio_streams,
        has_video: probed.has_video,
        path: dest.to_string_lossy().into_owned(),
        status: "ready".into(),
        created_at: db::now(),
    };
    let info = row.info();
    if let Err(e) = state.db.call(move |c| db::insert_media(c, &row)).await {
        let _ = tokio::fs::remove_file(&dest).await;
        return Err(e.into());
    }
    tracing::info!(media = %info.media_id, name = %info.name, container = %info.container, size, "upload stored");
    Ok(ok(info))
}

/// Stream the first file field to `dest`, refusing at the limit while streaming. Returns the
/// file's name as the client gave it.
async fn receive_multipart(
    mut multipart: Multipart,
    dest: &Path,
    max_bytes: u64,
) -> ApiResult<String> {
    let too_large =
        |e: &axum::extract::multipart::MultipartError| e.status() == StatusCode::PAYLOAD_TOO_LARGE;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Err(ApiError::BadRequest(Said::new(Key::ApiNoFileField, &[]))),
            Err(e) if too_large(&e) => return Err(ApiError::TooLarge(max_bytes)),
            Err(e) => return Err(e.into()),
        };
        if field.file_name().is_none() && field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("upload").to_owned();
        let mut field = field;
        let mut file = tokio::fs::File::create(dest).await?;
        let mut written = 0u64;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    written += chunk.len() as u64;
                    if written > max_bytes {
                        return Err(ApiError::TooLarge(max_bytes));
                    }
                    file.write_all(&chunk).await?;
                }
                Ok(None) => break,
                Err(e) if too_large(&e) => return Err(ApiError::TooLarge(max_bytes)),
                Err(e) => return Err(e.into()),
            }
        }
        file.flush().await?;
        if written == 0 {
            return Err(ApiError::BadRequest(Said::new(Key::ApiEmptyUpload, &[])));
        }
        return Ok(name);
    }
}
