//! Health, anonymous tokens, sessions and credits.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use serde_json::json;
use v2a_protocol::{headers, AnonymousToken, Credits, NewSessionRequest, SessionCreated};

use crate::auth::{self, BucketKey, Caller, Peer};
use crate::db;
use crate::error::{ok, ApiError, ApiJson, ApiResult};
use crate::state::AppState;

/// `GET /healthz`.
pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    ok(json!({ "version": env!("CARGO_PKG_VERSION"), "ffmpeg": &*state.ffmpeg_version }))
}

/// `POST /api/auth/anonymous-token` (needs `X-Client-Id`).
pub async fn anonymous_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    peer: Peer,
) -> ApiResult<impl IntoResponse> {
    if let Some(ip) = peer.0 {
        state.limiter.check(BucketKey::Address(ip))?;
    }
    let client_id = headers
        .get(headers::CLIENT_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 200)
        .ok_or(ApiError::MissingClientId)?
        .to_owned();
    let token = auth::new_token();
    let hash = auth::hash_token(&token);
    let now = db::now();
    let expires_at = now + (state.config.token_ttl_hours * 3600) as i64;
    let credits = state.config.credits;
    state
        .db
        .call(move |c| db::insert_token(c, &hash, &client_id, now, expires_at, credits))
        .await?;
    Ok(ok(AnonymousToken {
        token,
        expires_at: Some(expires_at),
        credits: Some(credits),
    }))
}

/// `POST /api/tasks/me/with-session/nemo_agent`.
pub async fn new_session(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewSessionRequest>,
) -> ApiResult<impl IntoResponse> {
    let id = uuid::Uuid::new_v4().to_string();
    let sid = id.clone();
    let language = body.language.filter(|l| !l.is_empty() && l.len() <= 20);
    state
        .db
        .call(move |c| {
            db::insert_session(
                c,
                &sid,
                caller.token_id,
                &body.task_name,
                language.as_deref(),
                db::now(),
            )
        })
        .await?;
    Ok(ok(SessionCreated { session_id: id }))
}

/// `GET /api/credits/balance/simple`: `total` = available + frozen.
pub async fn credits(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<impl IntoResponse> {
    let row = state
        .db
        .call(move |c| db::credits(c, caller.token_id))
        .await?;
    Ok(ok(Credits {
        available: row.available as f64,
        frozen: row.frozen as f64,
        total: (row.available + row.frozen) as f64,
    }))
}

/// The session, if the caller owns it; else 1002 as if it did not exist.
pub async fn owned_session(
    state: &AppState,
    caller: &Caller,
    session_id: &str,
) -> ApiResult<db::SessionRow> {
    let (sid, token_id) = (session_id.to_owned(), caller.token_id);
    let session = state
        .db
        .call(move |c| db::find_session(c, &sid, token_id))
        .await?
        .ok_or(ApiError::SessionNotFound)?;
    crate::reply_lang::use_session(session.language.as_deref());
    Ok(session)
}
