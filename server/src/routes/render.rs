//! Exports: `POST /api/render/proxy/lambda` picks a finished output (the one `output.mediaId`
//! or the draft names, else the latest) and, when `output.format` names another audio format,
//! converts it with a new extraction from the original upload. `GET .../<render_id>` polls.

use axum::extract::{Path, State};
use axum::http::header::RETRY_AFTER;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use v2a_protocol::text::{say, Key, Said};
use v2a_protocol::{JobStatus, RenderRequest};
use v2a_wording::{ExtractionSpec, Lang, OutputFormat};

use crate::auth::Caller;
use crate::db::{self, OutputRow};
use crate::error::{ok, ApiError, ApiJson, ApiResult};
use crate::jobs;
use crate::media;
use crate::present;
use crate::routes::account::owned_session;
use crate::state::AppState;

fn nothing_to_export() -> ApiError {
    ApiError::NotFound(Said::new(Key::NothingToExport, &[]))
}

/// The audio format an export asks for, if it names one ("mp4" and friends mean "as is").
fn asked_format(output: &Value) -> Option<OutputFormat> {
    v2a_protocol::formats::format_named(output.get("format")?.as_str()?)
}

/// The output id the draft names: the last segment of its last audio track.
fn draft_output(draft: &Value) -> Option<String> {
    let tracks = draft.get("t")?.as_array()?;
    let audio = tracks
        .iter()
        .rev()
        .find(|t| t.get("tt").and_then(Value::as_i64) == Some(1))?;
    audio
        .get("sg")?
        .as_array()?
        .last()?
        .get("id")?
        .as_str()
        .map(str::to_owned)
}

/// The output to export: the named one if it is the caller's and in this session, else the
/// latest done (or, failing that, latest running) output.
async fn choose(state: &AppState, session_id: &str, named: Option<String>) -> ApiResult<OutputRow> {
    let sid = session_id.to_owned();
    let outputs = state.db.call(move |c| db::list_outputs(c, &sid)).await?;
    if let Some(id) = named {
        if let Some(row) = outputs.iter().find(|o| o.id == id) {
            return Ok(row.clone());
        }
    }
    outputs
        .iter()
        .rev()
        .find(|o| o.status == JobStatus::Done)
        .or_else(|| {
            outputs
                .iter()
                .rev()
                .find(|o| matches!(o.status, JobStatus::Queued | JobStatus::Running))
        })
        .cloned()
        .ok_or_else(nothing_to_export)
}

/// Start (or repeat) an export; returns the output it points at.
async fn start(state: &AppState, caller: &Caller, req: &RenderRequest) -> ApiResult<OutputRow> {
    let session = owned_session(state, caller, &req.session_id).await?;
    let lang = crate::routes::run::answer_lang(session.language.as_deref(), "");
    let named = req
        .output
        .get("mediaId")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| draft_output(&req.draft));
    let chosen = choose(state, &req.session_id, named).await?;
    let wanted = asked_format(&req.output)
        .filter(|f| chosen.status == JobStatus::Done && f.extension() != chosen.format);
    let Some(format) = wanted else {
        return Ok(chosen);
    };
    // A conversion: the same request again from the original upload, in the asked format.
    let source_id = chosen.source_media_id.clone();
    let source = state
        .db
        .call(move |c| db::find_media(c, &source_id))
        .await?
        .filter(|m| m.status == "ready")
        .ok_or_else(|| {
            ApiError::NotFound(Said::new(Key::ApiSourceRemoved, &[("name", &chosen.name)]))
        })?;
    let mut spec: ExtractionSpec =
        serde_json::from_str(&chosen.spec).map_err(ApiError::internal)?;
    spec.format = Some(format);
    // A conversion no plan can make is refused before a credit is held.
    let plan = media::plan(&jobs::probed_of(&source), &spec).map_err(|e| {
        let named = Said::new(Key::NamedProblem, &[("name", &chosen.name)]);
        ApiError::BadRequest(named.with("problem", e.said()))
    })?;
    let (row, _updates) = jobs::enqueue(
        state,
        caller.token_id,
        &req.session_id,
        &source,
        spec,
        plan,
        lang,
    )
    .await?;
    Ok(row)
}

/// An export's answer. One still running carries `Retry-After: 1`: a conversion here takes
/// seconds, and the client polls at the pace an answer asks for (else on the description's
/// slower schedule, meant for its 30-90 s cloud renders).
fn render_answer(status: v2a_protocol::RenderStatus) -> Response {
    let running = matches!(status.status, JobStatus::Queued | JobStatus::Running);
    let mut response = ok(status).into_response();
    if running {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

fn valid_render_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `POST /api/render/proxy/lambda`.
pub async fn start_render(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<RenderRequest>,
) -> ApiResult<Response> {
    let render_id = if valid_render_id(&req.id) {
        req.id.clone()
    } else {
        format!("render_{}", uuid::Uuid::new_v4().simple())
    };
    let (rid, token_id, sid) = (render_id.clone(), caller.token_id, req.session_id.clone());
    // Only database work happens under it (a conversion is queued, not run), so it is brief.
    let bound = state.renders.clone().lock_owned().await;
    // A render id already used by this token keeps pointing at its first output.
    let existing = state
        .db
        .call(move |c| db::find_render(c, token_id, &rid))
        .await?;
    let output_id = match existing {
        Some(id) => id,
        None => {
            let chosen = start(&state, &caller, &req).await?;
            let rid = render_id.clone();
            state
                .db
                .call(move |c| db::upsert_render(c, token_id, &sid, &rid, &chosen.id, db::now()))
                .await?
        }
    };
    drop(bound);
    let row = state
        .db
        .call(move |c| db::find_output(c, &output_id))
        .await?
        .ok_or_else(nothing_to_export)?;
    Ok(render_answer(present::render_status(
        &state, &render_id, &row,
    )))
}

/// `GET /api/render/proxy/lambda/<render_id>`.
pub async fn render_status(
    State(state): State<AppState>,
    caller: Caller,
    Path(render_id): Path<String>,
) -> ApiResult<Response> {
    let (rid, token_id) = (render_id.clone(), caller.token_id);
    let row = state
        .db
        .call(move |c| match db::find_render(c, token_id, &rid)? {
            Some(output_id) => db::find_output(c, &output_id),
            None => Ok(None),
        })
        .await?
        .ok_or_else(|| ApiError::NotFound(Said::new(Key::ApiNoSuchExport, &[])))?;
    Ok(render_answer(present::render_status(
        &state, &render_id, &row,
    )))
}

/// The text answer of "export" sent to /run_sse: export the latest result and say where it is.
pub async fn export_latest_text(
    state: &AppState,
    caller: &Caller,
    session_id: &str,
    lang: Lang,
) -> ApiResult<String> {
    let chosen = match choose(state, session_id, None).await {
        Ok(row) => row,
        Err(ApiError::NotFound(_)) => return Ok(say(lang, Key::NothingToExport, &[])),
        Err(e) => return Err(e),
    };
    let render_id = format!("render_{}", uuid::Uuid::new_v4().simple());
    let (rid, sid, oid, token_id) = (
        render_id.clone(),
        session_id.to_owned(),
        chosen.id.clone(),
        caller.token_id,
    );
    state
        .db
        .call(move |c| db::upsert_render(c, token_id, &sid, &rid, &oid, db::now()))
        .await?;
    let status = present::render_status(state, &render_id, &chosen);
    // The file (and so the link) goes at retention after it was made, not after this answer.
    let made = chosen.finished_at.unwrap_or(chosen.created_at);
    let left = made + state.config.retention_secs() - db::now();
    let percent = format!("{:.0}", status.progress.unwrap_or(0.0) * 100.0);
    if status.download_url.is_some() && left <= 0 {
        // Past its retention, waiting for the next sweep: the link would not work any more.
        let hours = state.config.retention_hours.to_string();
        let args = [("name", chosen.name.as_str()), ("hours", &hours)];
        return Ok(say(lang, Key::ExportExpired, &args));
    }
    Ok(match status.download_url {
        Some(url) => {
            let left = time_left(left, lang);
            let args = [
                ("name", chosen.name.as_str()),
                ("url", &url),
                ("render_id", &render_id),
                ("left", &left),
            ];
            say(lang, Key::ExportReady, &args)
        }
        None => {
            let args = [
                ("name", chosen.name.as_str()),
                ("percent", &percent),
                ("render_id", &render_id),
            ];
            say(lang, Key::ExportRunning, &args)
        }
    })
}

/// "about 23 hours" / "12 minutes": how long a link has left, rounded down so it never overstates.
fn time_left(secs: i64, lang: Lang) -> String {
    let (hours, minutes) = (secs / 3600, (secs / 60).max(1));
    let (key, n) = match (hours, minutes) {
        (0, 1) => (Key::OneMinuteLeft, 1),
        (0, m) => (Key::MinutesLeft, m),
        (1, _) => (Key::OneHourLeft, 1),
        (h, _) => (Key::HoursLeft, h),
    };
    say(lang, key, &[("n", &n.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_never_overstates() {
        assert_eq!(time_left(24 * 3600, Lang::En), "24 more hours");
        assert_eq!(time_left(2 * 3600 - 1, Lang::En), "1 more hour");
        assert_eq!(time_left(3599, Lang::En), "59 more minutes");
        assert_eq!(time_left(30, Lang::En), "1 more minute");
        assert_eq!(time_left(5 * 3600 + 59, Lang::Zh), "5 小时");
        assert_eq!(time_left(600, Lang::Zh), "10 分钟");
    }
}
