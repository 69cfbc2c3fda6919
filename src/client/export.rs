//! The description's export workflow: `POST /api/render/proxy/lambda` with the session's draft
//! and the asked format, then polls until the export is done, at the pace the service asks for
//! (`Retry-After` or a hint in the answer), else [`super::POLL_SCHEDULE_MS`], and at most
//! [`super::RUN_LIMIT_MS`] in all.

use serde_json::json;

use super::{tolerant, Client, ClientError, Transport, Update};
use crate::protocol::text::Key;
use crate::protocol::{paths, GeneratedMedia, JobStatus, RenderStatus};

/// A hint shorter than this is taken as this (a service saying 0 must not be hammered).
const MIN_POLL_MS: u64 = 200;
/// A hint longer than this is taken as this, so a finished export is seen within a minute.
const MAX_POLL_MS: u64 = 60_000;

impl<T: Transport> Client<T> {
    /// Export the session's latest result as `format` ("mp3", "wav", …; `None` for MP3) and
    /// wait until it is done: the exported file, with its download link. `on_update` gets
    /// `Progress` updates (stage "exporting") while it runs.
    pub async fn export_result(
        &self,
        format: Option<&str>,
        on_update: &mut dyn FnMut(Update),
    ) -> Result<GeneratedMedia, ClientError> {
        let work = async {
            let generation = self.generation();
            let format = format
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .unwrap_or("mp3")
                .to_ascii_lowercase();
            let started_at = self.transport.now_ms();
            let (mut status, mut hint) = self
                .start_export_hinted(Some(json!({"format": format, "quality": "high"})))
                .await?;
            let mut polls = 0usize;
            loop {
                match status.status {
                    JobStatus::Done => return self.exported(status, &format),
                    JobStatus::Failed | JobStatus::Expired => {
                        let reason = status
                            .error
                            .as_deref()
                            .map(|r| r.trim().trim_end_matches(['.', '。']).to_string())
                            .filter(|r| !r.is_empty())
                            .unwrap_or_else(|| "—".into());
                        return Err(self.said(
                            "export_failed",
                            Key::ExportFailed,
                            &[("reason", &reason)],
                        ));
                    }
                    JobStatus::Queued | JobStatus::Running => {}
                }
                on_update(Update::Progress {
                    progress: status.progress.unwrap_or(0.0),
                    stage: "exporting".into(),
                    media_id: None,
                });
                let wait = hint
                    .map(|ms| ms.clamp(MIN_POLL_MS, MAX_POLL_MS))
                    .unwrap_or_else(|| schedule(polls));
                if self.transport.now_ms() + wait as f64 - started_at > super::RUN_LIMIT_MS {
                    let minutes = (super::RUN_LIMIT_MS as u64 / 60_000).to_string();
                    return Err(self.said(
                        "timed_out",
                        Key::ExportTimedOut,
                        &[("minutes", &minutes)],
                    ));
                }
                self.check_abort(generation)?;
                self.transport.sleep(wait).await;
                self.check_abort(generation)?;
                polls += 1;
                (status, hint) = self.export_status_hinted(&status.render_id).await?;
            }
        };
        work.await.map_err(|e: ClientError| e.in_lang(self.lang()))
    }

    /// The file of a finished export; its link is the one field that cannot be missing.
    fn exported(&self, status: RenderStatus, format: &str) -> Result<GeneratedMedia, ClientError> {
        let link = status
            .download_url
            .clone()
            .or_else(|| status.media.as_ref().and_then(|m| m.download_url.clone()))
            .ok_or_else(|| {
                self.unreadable(tolerant::Missing {
                    what: paths::RENDER,
                    field: "download_url",
                })
            })?;
        let mut media = status.media.unwrap_or_else(|| {
            tolerant::media(&json!({"id": status.render_id, "download_url": link}))
                .unwrap_or_else(|| placeholder(&status.render_id))
        });
        media.download_url = Some(link);
        media.status = JobStatus::Done;
        if media.format.is_empty() {
            media.format = format.to_string();
        }
        if !media.name.contains('.') {
            media.name = format!("{}.{}", media.name, media.format);
        }
        Ok(media)
    }
}

/// The wait before poll number `n` (from 0) when the service gives no pace.
fn schedule(n: usize) -> u64 {
    let last = super::POLL_SCHEDULE_MS.len() - 1;
    super::POLL_SCHEDULE_MS[n.min(last)]
}

fn placeholder(id: &str) -> GeneratedMedia {
    GeneratedMedia {
        id: id.to_string(),
        name: "audio".into(),
        format: String::new(),
        codec: None,
        duration: None,
        size: None,
        download_url: None,
        status: JobStatus::Done,
        error: None,
        progress: None,
        source_media_id: None,
        summary: None,
        created_at: 0,
    }
}
