//! A connection that drops mid-way (issue 11): an upload is sent again, a few times; a run
//! whose event stream is cut waits for the server to answer again, then reads the session's
//! state for what became of the request — a file, the server's own sentence for a failed job
//! (a restart fails the jobs it interrupted, with their reason), or a sentence saying what to do.

use super::{Client, ClientError, Outcome, Transport, Update};
use crate::protocol::text::Key;
use crate::protocol::JobStatus;

impl<T: Transport> Client<T> {
    /// `upload` (one try, under the recovery rules) again after a network failure, waiting
    /// [`super::UPLOAD_RETRY_WAIT_MS`] between tries. When every try failed while the server
    /// still answers `/healthz`, the connection drops on the way: [`Key::UploadCut`]; when the
    /// server does not answer either, the network error stands (the server is unreachable).
    pub(super) async fn retry_cut_upload<R, F, Fut>(
        &self,
        generation: u64,
        mut upload: F,
    ) -> Result<R, ClientError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<R, ClientError>>,
    {
        let mut tries = 0;
        loop {
            let error = match upload().await {
                Err(error @ ClientError::Network { .. }) => error,
                other => return other,
            };
            match super::UPLOAD_RETRY_WAIT_MS.get(tries) {
                Some(&ms) => {
                    tries += 1;
                    self.pause(ms, generation).await?;
                }
                None => {
                    let tries = (tries + 1).to_string();
                    return Err(match self.health().await {
                        Err(ClientError::Network { .. }) => error,
                        Err(error @ ClientError::Aborted { .. }) => error,
                        _ => self.said("upload_cut", Key::UploadCut, &[("tries", &tries)]),
                    });
                }
            }
        }
    }

    /// After a run's stream was cut with nothing finished in it: wait (the schedule of
    /// [`super::POLL_SCHEDULE_MS`]) until the server answers again, then say what the state
    /// shows: a finished file or a result to export (`Ok`), the reason a job failed (the
    /// server's sentence), or [`Key::RunCut`] / [`Key::RunCutNoServer`].
    pub(super) async fn outcome_after_cut(
        &self,
        draft_before: &[String],
        generation: u64,
        on_update: &mut dyn FnMut(Update),
    ) -> Result<Outcome, ClientError> {
        let mut waited_ms = 0;
        let mut answers = false;
        for attempt in 0..=super::POLL_SCHEDULE_MS.len() {
            if attempt > 0 {
                let ms = super::POLL_SCHEDULE_MS[attempt - 1];
                self.pause(ms, generation).await?;
                waited_ms += ms;
            }
            // Any answer, even an error (the hosted service has no /healthz), means it is back.
            match self.health().await {
                Err(ClientError::Network { .. }) => continue,
                Err(error @ ClientError::Aborted { .. }) => return Err(error),
                _ => {
                    answers = true;
                    break;
                }
            }
        }
        if !answers {
            let seconds = (waited_ms / 1000).to_string();
            return Err(self.said("stream", Key::RunCutNoServer, &[("seconds", &seconds)]));
        }
        // The text streamed before the cut ("Extracting…") is no answer: only the state counts,
        // read here rather than by `outcome_from_state`, for which a changed draft beside a
        // failed file means "export" (the hosted service's way); after a cut the file decides.
        let before = self.known_media.borrow().clone().unwrap_or_default();
        for attempt in 0..=super::POLL_SCHEDULE_MS.len() {
            if attempt > 0 {
                self.pause(super::POLL_SCHEDULE_MS[attempt - 1], generation)
                    .await?;
            }
            let state = self.state().await?;
            let changed: Vec<_> = state
                .generated_media
                .into_iter()
                .filter(|m| before.get(&m.id) != Some(&m.status))
                .collect();
            if changed
                .iter()
                .any(|m| matches!(m.status, JobStatus::Queued | JobStatus::Running))
            {
                continue;
            }
            if changed
                .iter()
                .any(|m| m.status == JobStatus::Done && m.download_url.is_some())
            {
                for media in &changed {
                    on_update(Update::Media {
                        media: media.clone(),
                    });
                }
                return Ok(Outcome {
                    text: super::after_run::describe(&changed),
                    media: changed,
                    from_state: true,
                    ..Outcome::default()
                });
            }
            let reasons: Vec<String> = changed
                .iter()
                .filter(|m| m.status == JobStatus::Failed)
                .filter_map(|m| m.error.as_deref().map(str::trim))
                .filter(|reason| !reason.is_empty())
                .map(str::to_owned)
                .collect();
            if !reasons.is_empty() {
                return Err(ClientError::run_failed(
                    "interrupted",
                    &reasons.join(" "),
                    self.lang(),
                ));
            }
            if changed.is_empty() && super::timeline::fingerprint(&state.draft) != draft_before {
                // No file but a changed timeline (the hosted service): the caller exports it.
                return Ok(Outcome {
                    from_state: true,
                    export: true,
                    ..Outcome::default()
                });
            }
        }
        Err(self.said("stream", Key::RunCut, &[]))
    }

    /// Waits `ms`, unless the operation was aborted before or during the wait.
    async fn pause(&self, ms: u64, generation: u64) -> Result<(), ClientError> {
        self.check_abort(generation)?;
        self.transport.sleep(ms).await;
        self.check_abort(generation)
    }
}
