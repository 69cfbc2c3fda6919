//! The retention sweep: files older than `--retention-hours` are deleted and their rows say
//! `expired`. Runs at start and every few minutes. An upload a job is still waiting for or
//! reading is kept until that job ends.

use std::time::Duration;

use crate::db::{self, DbError};
use crate::state::AppState;

/// How often the sweep runs.
pub const EVERY: Duration = Duration::from_secs(5 * 60);

/// What one sweep removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub uploads: usize,
    pub outputs: usize,
}

/// Remove what is older than the retention at `now` (unix seconds; tests pass a later "now").
pub async fn sweep(state: &AppState, now: i64) -> Result<Swept, DbError> {
    let cutoff = now - state.config.retention_secs();
    let (uploads, outputs) = state
        .db
        .call(move |c| {
            Ok((
                db::media_older_than(c, cutoff)?,
                db::outputs_older_than(c, cutoff)?,
            ))
        })
        .await?;
    for m in &uploads {
        // Marked first: a request from now on is told the upload is gone instead of queuing a
        // job on a file about to vanish (one queued in between fails with `Key::UploadSwept`).
        let id = m.id.clone();
        state
            .db
            .call(move |c| db::mark_media_expired(c, &id))
            .await?;
        remove(&m.path).await;
    }
    for o in &outputs {
        if let Some(path) = &o.path {
            remove(path).await;
        }
        let id = o.id.clone();
        state
            .db
            .call(move |c| db::mark_output_expired(c, &id))
            .await?;
    }
    let swept = Swept {
        uploads: uploads.len(),
        outputs: outputs.len(),
    };
    if swept != Swept::default() {
        tracing::info!(
            uploads = swept.uploads,
            outputs = swept.outputs,
            "retention sweep removed files"
        );
    }
    Ok(swept)
}

async fn remove(path: &str) {
    if let Err(e) = tokio::fs::remove_file(path).await {
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(%path, %e, "cannot remove an expired file");
        }
    }
}

/// Sweep now and then every [`EVERY`], forever.
pub fn spawn_periodic(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            if let Err(e) = sweep(&state, db::now()).await {
                tracing::error!(%e, "retention sweep failed");
            }
        }
    });
}
