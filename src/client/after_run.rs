//! After a run that brought no file: what the session's state says it changed — new or
//! changed files, else a changed draft (the result is on the timeline: export it), else the
//! text, with the backend's GUI phrases turned into what they stand for.

use super::{timeline, translate_gui, Client, ClientError, GuiAction, Outcome, Transport, Update};
use crate::protocol::text::{say, Key};
use crate::protocol::{GeneratedMedia, JobStatus};

impl<T: Transport> Client<T> {
    /// Look at the state up to `polls` times (waiting [`super::POLL_SCHEDULE_MS`] between
    /// looks) and say what the run changed: new or changed files, else a changed draft (then
    /// the result is to be exported), else the text, translated from its GUI phrases.
    pub(super) async fn outcome_from_state(
        &self,
        text: String,
        draft_before: &[String],
        polls: usize,
        generation: u64,
        on_update: &mut dyn FnMut(Update),
    ) -> Result<Outcome, ClientError> {
        let before = self.known_media.borrow().clone().unwrap_or_default();
        let (text, action) = translate_gui(&text);
        let lang = self.lang();
        let mut changed: Vec<GeneratedMedia> = Vec::new();
        let mut draft = serde_json::Value::Null;
        let mut draft_changed = false;
        for attempt in 0..polls {
            if attempt > 0 {
                self.check_abort(generation)?;
                self.transport
                    .sleep(super::POLL_SCHEDULE_MS[attempt - 1])
                    .await;
                self.check_abort(generation)?;
            }
            let state = self.state().await?;
            changed = state
                .generated_media
                .into_iter()
                .filter(|m| before.get(&m.id) != Some(&m.status))
                .collect();
            draft_changed = timeline::fingerprint(&state.draft) != draft_before;
            draft = state.draft;
            let settled = changed
                .iter()
                .all(|m| !matches!(m.status, JobStatus::Queued | JobStatus::Running));
            if (!changed.is_empty() && settled) || (changed.is_empty() && draft_changed) {
                break;
            }
        }
        let finished = changed
            .iter()
            .any(|m| m.status == JobStatus::Done && m.download_url.is_some());
        if !changed.is_empty() && (finished || !draft_changed) {
            for media in &changed {
                on_update(Update::Media {
                    media: media.clone(),
                });
            }
            let text = if text.trim().is_empty() {
                describe(&changed)
            } else {
                text
            };
            return Ok(Outcome {
                text,
                media: changed,
                from_state: true,
                ..Outcome::default()
            });
        }
        let summary = timeline::summary(&draft, lang);
        let show_summary =
            draft_changed || matches!(action, Some(GuiAction::Summary | GuiAction::State));
        let timeline = summary.filter(|_| show_summary);
        let mut parts: Vec<String> = vec![text.trim().to_string()];
        if action == Some(GuiAction::Drag) {
            parts.push(say(lang, Key::GuiDrag, &[]));
        }
        match (&timeline, parts[0].is_empty() && draft_changed) {
            (Some(summary), true) => {
                parts[0] = say(lang, Key::TimelineUpdated, &[("summary", summary)])
            }
            (Some(summary), false) => parts.push(summary.clone()),
            (None, _) => {}
        }
        let mut text = parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let export = draft_changed || action == Some(GuiAction::Export);
        if text.is_empty() && !export {
            text = say(lang, Key::RunNoAnswer, &[]);
        }
        Ok(Outcome {
            text,
            media: Vec::new(),
            from_state: true,
            export,
            timeline,
        })
    }
}

/// What changed, for a person ("Ready: talk.mp3.").
pub(super) fn describe(changed: &[GeneratedMedia]) -> String {
    let list = |status: JobStatus| {
        changed
            .iter()
            .filter(|m| m.status == status)
            // Owned names, so this join is the same `[String]` join as the others: one join
            // for `&str` too would add a second copy of it to the WebAssembly.
            .map(|m| m.name.clone())
            .collect::<Vec<_>>()
    };
    let mut parts = Vec::new();
    for (status, label) in [
        (JobStatus::Done, "Ready"),
        (JobStatus::Running, "Still being made"),
        (JobStatus::Queued, "Waiting to start"),
        (JobStatus::Expired, "Expired"),
    ] {
        let names = list(status);
        if !names.is_empty() {
            parts.push(format!("{label}: {}.", names.join(", ")));
        }
    }
    // A failure is only useful with its reason (which says what to do next), so each gets its own.
    for failed in changed.iter().filter(|m| m.status == JobStatus::Failed) {
        parts.push(match failed.error.as_deref().map(str::trim) {
            Some(reason) if !reason.is_empty() => format!("{} failed: {reason}", failed.name),
            _ => format!("{} failed.", failed.name),
        });
    }
    parts.join(" ")
}
