//! Extraction jobs: each runs as its own task, independent of any HTTP response, at most
//! `--jobs` at once (tokio's semaphore is FIFO, so the queue is fair). Listeners subscribe to
//! a watch channel of the job's latest update; the database holds the final result.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use futures_util::FutureExt;
use tokio::sync::{watch, Semaphore};
use tokio_util::sync::CancellationToken;
use v2a_protocol::text::{say, Key};
use v2a_protocol::{units, GeneratedMedia, JobStatus, Lang};
use v2a_wording::ExtractionSpec;

use crate::db::{self, Finished};
use crate::error::ApiError;
use crate::media::{self, Plan, Probed};
use crate::present;
use crate::state::AppState;

/// The latest news of a job.
#[derive(Debug, Clone, PartialEq)]
pub enum JobUpdate {
    Queued,
    Running {
        progress: f64,
        stage: &'static str,
    },
    Done {
        media: Box<GeneratedMedia>,
        /// The audio stopped this long before the expected end, when clearly so (seconds
        /// expected, as `media.duration` says how long it is); the final text says it.
        ended_early_of: Option<f64>,
    },
    /// One sentence for a person.
    Failed(String),
}

impl JobUpdate {
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Done { .. } | Self::Failed(_))
    }
}

// A listener of a job interrupted by a server stop is told `Key::Stopping`; the row stays
// running, so the next start fails it with `text::restarted` and returns its credit. A job
// queued behind others fails with `Key::UploadSwept` when the retention sweep removed its
// upload meanwhile.

/// The job queue and the live jobs.
#[derive(Clone)]
pub struct Jobs {
    slots: Arc<Semaphore>,
    live: Arc<Mutex<HashMap<String, watch::Receiver<JobUpdate>>>>,
    stopping: CancellationToken,
}

/// What a job needs to run.
#[derive(Debug, Clone)]
pub struct JobInput {
    pub output_id: String,
    /// The upload's row id (to tell a retention sweep from other reasons the file is gone).
    pub source_media_id: String,
    pub input: PathBuf,
    /// Made once, when the job was asked for.
    pub plan: Plan,
    /// The download name without extension (already sanitized).
    pub name_stem: String,
    /// The language of the sentences a failure is told in (the session's answers').
    pub lang: Lang,
}

impl Jobs {
    pub fn new(slots: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(slots)),
            live: Arc::default(),
            stopping: CancellationToken::new(),
        }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<String, watch::Receiver<JobUpdate>>> {
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The latest update of a running job.
    pub fn latest(&self, output_id: &str) -> Option<JobUpdate> {
        self.live().get(output_id).map(|rx| rx.borrow().clone())
    }

    /// Interrupt every queued and running job now (the server is stopping): ffmpeg is killed,
    /// partial outputs are removed, and listeners get [`STOPPING`]. Jobs started later stop at
    /// once.
    pub fn stop_all(&self) {
        self.stopping.cancel();
    }

    /// Follow a running job.
    pub fn subscribe(&self, output_id: &str) -> Option<watch::Receiver<JobUpdate>> {
        self.live().get(output_id).cloned()
    }
}

/// Start a job (its output row exists, status queued, credit frozen) and return its updates.
pub fn spawn(state: &AppState, job: JobInput) -> watch::Receiver<JobUpdate> {
    let (tx, rx) = watch::channel(JobUpdate::Queued);
    state.jobs.live().insert(job.output_id.clone(), rx.clone());
    let state = state.clone();
    tokio::spawn(async move {
        let stopping = state.jobs.stopping.clone();
        // Dropping the extraction future kills ffmpeg (kill_on_drop) and removes the `.part`
        // file (its guard's Drop), synchronously, before the process exits.
        let outcome = tokio::select! {
            outcome = std::panic::AssertUnwindSafe(run(&state, &job, &tx)).catch_unwind() => outcome,
            () = stopping.cancelled() => {
                tracing::warn!(output = %job.output_id, "job interrupted by a server stop");
                tx.send_replace(JobUpdate::Failed(say(job.lang, Key::Stopping, &[])));
                state.jobs.live().remove(&job.output_id);
                return;
            }
        };
        let update = match outcome {
            Ok(Ok((media, ended_early_of))) => JobUpdate::Done {
                media: Box::new(media),
                ended_early_of,
            },
            Ok(Err(reason)) => JobUpdate::Failed(reason),
            Err(_) => {
                tracing::error!(output = %job.output_id, "extraction task panicked");
                let reason = say(job.lang, Key::JobPanicked, &[]);
                record_failure(&state, &job.output_id, &reason).await;
                JobUpdate::Failed(reason)
            }
        };
        tx.send_replace(update);
        state.jobs.live().remove(&job.output_id);
    });
    rx
}

async fn run(
    state: &AppState,
    job: &JobInput,
    tx: &watch::Sender<JobUpdate>,
) -> Result<(GeneratedMedia, Option<f64>), String> {
    let _permit = state.slots_permit().await;
    if upload_was_swept(state, &job.source_media_id).await {
        tracing::info!(output = %job.output_id, "upload expired while the job was queued");
        let reason = say(job.lang, Key::UploadSwept, &[]);
        record_failure(state, &job.output_id, &reason).await;
        return Err(reason);
    }
    let id = job.output_id.clone();
    if let Err(e) = state.db.call(move |c| db::set_running(c, &id)).await {
        tracing::error!(%e, "cannot mark job running");
    }
    tx.send_replace(JobUpdate::Running {
        progress: 0.0,
        stage: "extracting",
    });
    let out_stem = state.outputs_dir().join(&job.output_id);
    let progress = |fraction: f64, stage: &'static str| {
        #[cfg(debug_assertions)]
        panic_if_asked(&job.name_stem, fraction);
        tx.send_replace(JobUpdate::Running {
            progress: fraction.clamp(0.0, 1.0),
            stage,
        });
    };
    let result =
        media::extract_planned(&state.tools, &job.input, &job.plan, &out_stem, &progress).await;
    match result {
        Ok(out) => {
            let finished = Finished {
                name: format!("{}.{}", job.name_stem, out.extension),
                format: out.extension.clone(),
                codec: out.codec.clone(),
                duration: out.duration,
                size: out.size,
                path: out.path.to_string_lossy().into_owned(),
            };
            let id = job.output_id.clone();
            let saved = state
                .db
                .call(move |c| {
                    db::finish_done(c, &id, &finished, db::now())?;
                    db::find_output(c, &id)
                })
                .await;
            match saved {
                Ok(Some(row)) => Ok((
                    present::generated_media(state, &row),
                    out.ended_early().then_some(out.expected_duration),
                )),
                other => {
                    tracing::error!(?other, "cannot record a finished job");
                    let _ = tokio::fs::remove_file(&out.path).await;
                    let reason = say(job.lang, Key::ResultNotSaved, &[]);
                    record_failure(state, &job.output_id, &reason).await;
                    Err(reason)
                }
            }
        }
        Err(e) => {
            let reason = e.say(job.lang);
            tracing::warn!(output = %job.output_id, error = %e, "extraction failed");
            record_failure(state, &job.output_id, &reason).await;
            Err(reason)
        }
    }
}

/// Debug builds only (release builds have no such hook): `V2A_TEST_PANIC_IN_JOB=<name>` makes
/// a job whose output is named `<name>` panic at its first progress past 0, while ffmpeg runs,
/// so a test can show that a panicking job fails with a sentence, leaves the server serving and
/// kills its ffmpeg (tests/api_panic.rs).
#[cfg(debug_assertions)]
fn panic_if_asked(name_stem: &str, fraction: f64) {
    static NAME: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let name = NAME.get_or_init(|| std::env::var("V2A_TEST_PANIC_IN_JOB").ok());
    if fraction > 0.0 && name.as_deref() == Some(name_stem) {
        panic!("V2A_TEST_PANIC_IN_JOB: {name_stem} panics mid-extraction");
    }
}

/// Whether the sweep marked the upload expired (while the job waited for a slot).
async fn upload_was_swept(state: &AppState, media_id: &str) -> bool {
    let id = media_id.to_owned();
    match state.db.call(move |c| db::find_media(c, &id)).await {
        Ok(row) => row.is_some_and(|m| m.status == "expired"),
        Err(e) => {
            // Let the extraction itself find out whether the file is there.
            tracing::error!(%e, "cannot read the upload's row");
            false
        }
    }
}

async fn record_failure(state: &AppState, output_id: &str, reason: &str) {
    let (id, reason) = (output_id.to_owned(), reason.to_owned());
    if let Err(e) = state
        .db
        .call(move |c| db::finish_failed(c, &id, &reason, db::now()))
        .await
    {
        tracing::error!(%e, "cannot record a failed job");
    }
}

impl AppState {
    async fn slots_permit(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        // The semaphore is never closed, so acquiring only waits.
        self.jobs.slots.clone().acquire_owned().await.ok()
    }
}

/// Record a new job for `source` (holding one credit, 2001 when none is left) and start it.
/// `plan` is what [`media::plan`] made of `spec` for this source.
pub async fn enqueue(
    state: &AppState,
    token_id: i64,
    session_id: &str,
    source: &db::MediaRow,
    spec: ExtractionSpec,
    plan: Plan,
    lang: Lang,
) -> Result<(db::OutputRow, watch::Receiver<JobUpdate>), ApiError> {
    let format = plan.extension.to_owned();
    let name_stem = name_stem(&spec, &source.name);
    let output = db::OutputRow {
        id: uuid::Uuid::new_v4().to_string(),
        session_id: session_id.to_owned(),
        token_id,
        source_media_id: source.id.clone(),
        spec: serde_json::to_string(&spec).expect("specs always serialize"),
        summary: v2a_wording::summary(&spec),
        name: format!("{name_stem}.{format}"),
        format,
        codec: None,
        duration: None,
        size: None,
        path: None,
        status: JobStatus::Queued,
        error: None,
        credit: "frozen".into(),
        created_at: db::now(),
        finished_at: None,
    };
    let row = output.clone();
    // The credit is held in the same transaction that records the job, so a crash cannot lose
    // it: restart recovery returns the credits of jobs left queued or running.
    let held = state
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            if !db::freeze_credit(&tx, token_id)? {
                return Ok(false);
            }
            db::insert_output(&tx, &row)?;
            tx.commit()?;
            Ok(true)
        })
        .await?;
    if !held {
        return Err(ApiError::OutOfCredits);
    }
    let input = JobInput {
        output_id: output.id.clone(),
        source_media_id: source.id.clone(),
        input: source.path.clone().into(),
        plan,
        name_stem,
        lang,
    };
    let updates = spawn(state, input);
    Ok((output, updates))
}

/// Rebuild what ffprobe said about an upload from its stored row.
pub fn probed_of(row: &db::MediaRow) -> Probed {
    Probed {
        container: row.container.clone(),
        duration: row.duration,
        audio_streams: row.audio_streams.clone(),
        has_video: row.has_video,
    }
}

/// The stem for an output of `spec` from the upload `name`: the name asked for, else the
/// upload's, by the rule the client names downloads with.
pub fn name_stem(spec: &ExtractionSpec, name: &str) -> String {
    units::download_stem(spec.output_name.as_deref().unwrap_or(name))
}
