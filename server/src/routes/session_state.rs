//! `GET /api/state/nemo_agent/me/<sid>/latest`: the draft, the uploads and the outputs.

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use serde_json::{json, Value};
use v2a_protocol::{GeneratedMedia, MediaInfo, SessionState};

use crate::auth::Caller;
use crate::db;
use crate::error::{ok, ApiResult};
use crate::present;
use crate::routes::account::owned_session;
use crate::state::AppState;

pub async fn session_state(
    State(state): State<AppState>,
    caller: Caller,
    Path(session_id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let session = owned_session(&state, &caller, &session_id).await?;
    let sid = session.id.clone();
    let (uploads, outputs) = state
        .db
        .call(move |c| Ok((db::list_media(c, &sid)?, db::list_outputs(c, &sid)?)))
        .await?;
    let video_infos: Vec<MediaInfo> = uploads.iter().map(db::MediaRow::info).collect();
    let generated_media: Vec<GeneratedMedia> = outputs
        .iter()
        .map(|o| present::generated_media(&state, o))
        .collect();
    Ok(ok(SessionState {
        draft: draft(&video_infos, &generated_media),
        video_infos,
        generated_media,
    }))
}

/// The session as a timeline in the hosted API's short keys: `t` tracks, each with `tt` (0
/// video, 1 audio), `sg` segments (`id`, `n` name, `s` start ms, `d` duration ms, `m` metadata)
/// and `m` track metadata. Track 0 holds the uploads, track 1 the extracted audio.
pub fn draft(uploads: &[MediaInfo], outputs: &[GeneratedMedia]) -> Value {
    let ms = |secs: f64| (secs * 1000.0).round() as i64;
    let sources: Vec<Value> = uploads
        .iter()
        .map(|u| {
            json!({
                "id": u.media_id, "n": u.name, "s": 0, "d": ms(u.duration),
                "m": { "container": u.container, "audio_tracks": u.audio_streams.len() }
            })
        })
        .collect();
    let results: Vec<Value> = outputs
        .iter()
        .map(|o| {
            json!({
                "id": o.id, "n": o.name, "s": 0, "d": o.duration.map(ms),
                "m": { "status": o.status, "format": o.format, "source": o.source_media_id, "summary": o.summary }
            })
        })
        .collect();
    json!({
        "v": 1,
        "t": [
            { "tt": 0, "sg": sources, "m": { "name": "Uploads" } },
            { "tt": 1, "sg": results, "m": { "name": "Extracted audio" } }
        ]
    })
}
