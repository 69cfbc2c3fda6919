//! Rows turned into wire types, with live progress and signed download links.

use v2a_protocol::{GeneratedMedia, JobStatus, RenderStatus};

use crate::db::OutputRow;
use crate::jobs::JobUpdate;
use crate::state::AppState;

/// The wire form of an output.
pub fn generated_media(state: &AppState, row: &OutputRow) -> GeneratedMedia {
    let live = matches!(row.status, JobStatus::Queued | JobStatus::Running)
        .then(|| state.jobs.latest(&row.id))
        .flatten();
    let progress = match live {
        Some(JobUpdate::Running { progress, .. }) => Some(progress),
        Some(JobUpdate::Queued) => Some(0.0),
        _ if matches!(row.status, JobStatus::Queued | JobStatus::Running) => Some(0.0),
        _ => None,
    };
    let download_url = (row.status == JobStatus::Done).then(|| {
        let exp = row.finished_at.unwrap_or(row.created_at) + state.config.retention_secs();
        state.signer.download_url(&row.id, exp)
    });
    GeneratedMedia {
        id: row.id.clone(),
        name: row.name.clone(),
        format: row.format.clone(),
        codec: row.codec.clone(),
        duration: row.duration,
        size: row.size,
        download_url,
        status: row.status,
        error: row.error.clone(),
        progress,
        source_media_id: Some(row.source_media_id.clone()),
        summary: Some(row.summary.clone()),
        created_at: row.created_at,
    }
}

/// The wire form of an export.
pub fn render_status(state: &AppState, render_id: &str, row: &OutputRow) -> RenderStatus {
    let media = generated_media(state, row);
    RenderStatus {
        render_id: render_id.to_owned(),
        status: media.status,
        progress: if media.status == JobStatus::Done {
            Some(1.0)
        } else {
            media.progress
        },
        download_url: media.download_url.clone(),
        error: media.error.clone(),
        media: Some(media),
    }
}
