//! `POST /run_sse`: understand the message, answer simple questions with one text event, and
//! for an extraction start a job and stream its ADK events until it ends.

use std::convert::Infallible;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use tokio::sync::watch;
use v2a_protocol::text::{say, Key};
use v2a_protocol::{units, RunSseRequest};
use v2a_wording::{ExtractionSpec, Intent, Lang, Route, SourceSelector};

use crate::auth::Caller;
use crate::db::{self, MediaRow};
use crate::error::{ApiJson, ApiResult};
use crate::events::{sse, Invocation};
use crate::jobs::{self, JobUpdate};
use crate::media;
use crate::replies;
use crate::routes::account::owned_session;
use crate::routes::render;
use crate::state::AppState;

/// Progress events are sent at most this often (the watch channel keeps only the latest).
const PROGRESS_EVERY: Duration = Duration::from_millis(250);

pub async fn run_sse(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(request): ApiJson<RunSseRequest>,
) -> ApiResult<Response> {
    let session = owned_session(&state, &caller, &request.session_id).await?;
    let text = request.new_message.text();
    let lang = answer_lang(session.language.as_deref(), &text);
    let inv = Invocation::new();
    let reply = |text: String| Ok(single(&inv, text));
    match v2a_wording::route(&text) {
        Route::Credits => {
            let row = state
                .db
                .call(move |c| db::credits(c, caller.token_id))
                .await?;
            return reply(replies::credits(row.available, row.frozen, lang));
        }
        Route::Status => {
            let sid = session.id.clone();
            let (uploads, outputs) = state
                .db
                .call(move |c| Ok((db::list_media(c, &sid)?, db::list_outputs(c, &sid)?)))
                .await?;
            return reply(replies::status(&uploads, &outputs, lang));
        }
        Route::Upload => return reply(replies::upload_how(&session.id, lang)),
        Route::Export => {
            return reply(render::export_latest_text(&state, &caller, &session.id, lang).await?)
        }
        Route::Run => {}
    }
    match v2a_wording::understand_in(&text, lang) {
        Intent::Help => reply(v2a_wording::help_text(lang)),
        Intent::Unsupported { reason } => reply(v2a_wording::unsupported_text(&reason, lang)),
        Intent::Extract { spec } => {
            start_extraction(&state, &caller, &session.id, spec, inv, lang).await
        }
    }
}

/// The language of the answers: the session's when it set one ("en", "zh-CN"), else the
/// message's. Requests are understood in either language whatever the session's.
pub(crate) fn answer_lang(session_language: Option<&str>, text: &str) -> Lang {
    session_language
        .and_then(Lang::from_tag)
        .unwrap_or_else(|| v2a_wording::detect_lang(text))
}

/// A stream of one final text event.
fn single(inv: &Invocation, text: String) -> Response {
    let event = sse(&inv.text(text, true));
    Sse::new(stream::iter([Ok::<_, Infallible>(event)])).into_response()
}

/// Which upload a spec means; `Err` is the text to answer.
fn pick_source<'a>(
    uploads: &'a [MediaRow],
    source: &SourceSelector,
    session_id: &str,
    lang: Lang,
) -> Result<&'a MediaRow, String> {
    if uploads.is_empty() {
        return Err(replies::upload_first(session_id, lang));
    }
    let picked = match source {
        SourceSelector::Latest => uploads.last(),
        SourceSelector::Position(n) => uploads.get((*n as usize).wrapping_sub(1)),
        SourceSelector::Name(part) => {
            let part = part.to_lowercase();
            uploads
                .iter()
                .rev()
                .find(|m| m.name.to_lowercase().contains(&part))
        }
    };
    let names = uploads
        .iter()
        .enumerate()
        .map(|(i, m)| format!("{}. {}", i + 1, m.name))
        .collect::<Vec<_>>()
        .join(", ");
    picked.ok_or_else(|| say(lang, Key::UploadNotFound, &[("uploads", &names)]))
}

async fn start_extraction(
    state: &AppState,
    caller: &Caller,
    session_id: &str,
    spec: ExtractionSpec,
    inv: Invocation,
    lang: Lang,
) -> ApiResult<Response> {
    let sid = session_id.to_owned();
    let uploads = state.db.call(move |c| db::list_media(c, &sid)).await?;
    let source = match pick_source(&uploads, &spec.source, session_id, lang) {
        Ok(source) => source.clone(),
        Err(text) => return Ok(single(&inv, text)),
    };
    if source.status != "ready" {
        let hours = state.config.retention_hours.to_string();
        let text = say(
            lang,
            Key::UploadRemoved,
            &[("name", &source.name), ("hours", &hours)],
        );
        return Ok(single(&inv, text));
    }
    if source.audio_streams.is_empty() {
        let text = say(lang, Key::NoAudioTrack, &[("name", &source.name)]);
        return Ok(single(&inv, text));
    }
    // Impossible requests (no such track, an empty range) are answered before a credit is held.
    let plan = match media::plan(&jobs::probed_of(&source), &spec) {
        Ok(plan) => plan,
        Err(e) => {
            let problem = e.say(lang);
            let text = say(
                lang,
                Key::NamedProblem,
                &[("name", &source.name), ("problem", &problem)],
            );
            return Ok(single(&inv, text));
        }
    };
    let summary = v2a_wording::summary_in(&spec, lang);
    let intro = say(
        lang,
        Key::Extracting,
        &[("name", &source.name), ("summary", &summary)],
    );
    let (output, updates) = jobs::enqueue(
        state,
        caller.token_id,
        session_id,
        &source,
        spec.clone(),
        plan,
        lang,
    )
    .await?;
    let args =
        serde_json::json!({ "spec": spec, "source_media_id": source.id, "output_id": output.id });
    let events = follow(inv, intro, output.id, args, updates, lang);
    Ok(Sse::new(events)
        .keep_alive(
            KeepAlive::new()
                .interval(Duration::from_secs(state.config.sse_keepalive_secs.max(1)))
                .text("keep-alive"),
        )
        .into_response())
}

/// The events of a running job: intro text, function call, throttled progress, function
/// response and final text. Dropping the stream (client gone) leaves the job running.
fn follow(
    inv: Invocation,
    intro: String,
    output_id: String,
    args: serde_json::Value,
    mut updates: watch::Receiver<JobUpdate>,
    lang: Lang,
) -> impl Stream<Item = Result<Event, Infallible>> {
    async_stream::stream! {
        yield Ok(sse(&inv.text(intro, false)));
        yield Ok(sse(&inv.function_call(&output_id, args)));
        let mut last_sent: Option<(f64, &'static str, Instant)> = None;
        loop {
            let update = updates.borrow_and_update().clone();
            match update {
                JobUpdate::Done { media, ended_early_of } => {
                    yield Ok(sse(&inv.progress(1.0, "done", &output_id)));
                    yield Ok(sse(&inv.function_response(&output_id, &media)));
                    yield Ok(sse(&inv.text(done_text(&media, ended_early_of, lang), true)));
                    break;
                }
                JobUpdate::Failed(reason) => {
                    yield Ok(sse(&inv.failure("EXTRACTION_FAILED", &reason)));
                    break;
                }
                JobUpdate::Queued | JobUpdate::Running { .. } => {
                    let (progress, stage) = match update {
                        JobUpdate::Running { progress, stage } => (progress, stage),
                        _ => (0.0, "queued"),
                    };
                    let news = match last_sent {
                        None => true,
                        Some((p, s, _)) => s != stage || progress > p,
                    };
                    if news {
                        if let Some((_, s, at)) = last_sent {
                            if s == stage && at.elapsed() < PROGRESS_EVERY {
                                // Wait out the throttle, then send the latest value instead.
                                tokio::time::sleep(PROGRESS_EVERY - at.elapsed()).await;
                                continue;
                            }
                        }
                        last_sent = Some((progress, stage, Instant::now()));
                        yield Ok(sse(&inv.progress(progress, stage, &output_id)));
                    }
                }
            }
            if updates.changed().await.is_err() {
                // The job task ended; its last value is final unless it died without one.
                if !updates.borrow().is_final() {
                    yield Ok(sse(&inv.failure("EXTRACTION_FAILED", &say(lang, Key::JobPanicked, &[]))));
                    break;
                }
            }
        }
    }
}

/// "Done: lecture.mp3 — MP3, 2:15, 3.1 MB. Download it below.", with a warning when the sound
/// stopped well before the `expected` end (seconds).
pub fn done_text(
    media: &v2a_protocol::GeneratedMedia,
    ended_early_of: Option<f64>,
    lang: Lang,
) -> String {
    let mut facts = vec![media.format.to_uppercase()];
    if let Some(d) = media.duration {
        facts.push(units::duration(d));
    }
    if let Some(s) = media.size {
        facts.push(units::size(s));
    }
    let short = ended_early_of.map(|expected| {
        let (got, expected) = (
            units::duration(media.duration.unwrap_or(0.0)),
            units::duration(expected),
        );
        say(
            lang,
            Key::EndedEarly,
            &[("got", &got), ("expected", &expected)],
        )
    });
    // List punctuation, not a sentence: the Chinese list takes the full-width comma.
    let facts = facts.join(if lang == Lang::Zh { "，" } else { ", " });
    let mut text = say(lang, Key::Done, &[("name", &media.name), ("facts", &facts)]);
    text.push_str(&short.unwrap_or_default());
    text
}
