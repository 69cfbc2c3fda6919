//! Running a request: `POST /run_sse`, the event stream read chunk by chunk through the SSE
//! parser, ADK events turned into [`Update`]s, and the [`Outcome`].

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::core::{classify, Attempt, Needs};
use super::{
    translate_gui, ByteStream, Client, ClientError, HttpResponse, Method, Read, Transport,
    TransportError,
};
use crate::protocol::text::Key;
use crate::protocol::{
    paths, Content, GeneratedMedia, ProgressMeta, RunSseRequest, APP_NAME, EXTRACT_FUNCTION,
};
use crate::sse::{is_event_stream_content_type, Parser};

/// The part of an ADK event ([`crate::protocol::AdkEvent`]) a run reads. Decoding only these
/// fields keeps the decoders of the rest (ids, timestamps, actions) out of the wasm.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RunEvent {
    #[serde(default)]
    content: Option<Content>,
    #[serde(default)]
    partial: Option<bool>,
    #[serde(default)]
    custom_metadata: Option<Value>,
    #[serde(default)]
    error_code: Option<String>,
    #[serde(default)]
    error_message: Option<String>,
}

/// Something to show while a run goes on. `kind` tells which (JSON: `{"kind": "text", …}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Update {
    /// Text for the person. `text` is the whole message so far: replace, don't append.
    /// `partial: false` once the message is complete.
    Text {
        /// The message so far.
        text: String,
        /// True while more of this message is coming.
        partial: bool,
    },
    /// Progress of the extraction, 0..1, and its stage ("probing", "extracting", …).
    Progress {
        /// 0..1.
        progress: f64,
        /// "queued", "probing", "extracting", "normalizing", "finishing", "done".
        stage: String,
        /// The generated file this is about.
        #[serde(skip_serializing_if = "Option::is_none")]
        media_id: Option<String>,
    },
    /// Tool activity (not for the person's eyes, but useful for logs).
    Tool {
        /// The function ("extract_audio").
        name: String,
        /// Called or answered.
        phase: ToolPhase,
    },
    /// A generated file, finished or failed.
    Media {
        /// The file, with its (relative) download link.
        media: GeneratedMedia,
    },
    /// Nothing but heartbeats for a while: the server is still working.
    StillWorking {
        /// Seconds since the last real event.
        seconds: u64,
    },
    /// The server reported an error inside the run.
    Error {
        /// The ADK error code.
        code: String,
        /// The server's sentence.
        message: String,
    },
}

/// Whether a tool was called or answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum ToolPhase {
    /// The server started the tool.
    Call,
    /// The tool answered.
    Response,
}

/// The end of a run: the text for the person and the files it produced.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Outcome {
    /// What the server said, for the person, with the backend's GUI phrases taken out.
    pub text: String,
    /// The files the run produced (or that changed, when read from the state).
    pub media: Vec<GeneratedMedia>,
    /// True when the stream said nothing and the outcome comes from polling the state.
    pub from_state: bool,
    /// True when the run made no file but put a result on the timeline (the draft changed, or
    /// the backend said to press Export): the caller runs the export ([`Client::export_result`]).
    pub export: bool,
    /// The session's track summary, when the draft changed or the backend asked to look at it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<String>,
}

/// Turns the `data` of `/run_sse` events into updates; pure, so it is tested natively.
#[derive(Debug, Clone)]
pub struct RunReader {
    /// The message being streamed in partial fragments.
    partial: String,
    /// Completed messages.
    messages: Vec<String>,
    media: Vec<GeneratedMedia>,
    error: Option<(String, String)>,
    /// An extract call without its response yet.
    extract_pending: bool,
    last_activity_ms: f64,
    last_notice_ms: f64,
}

impl RunReader {
    /// A reader for a run that starts at `now_ms`.
    pub fn new(now_ms: f64) -> Self {
        Self {
            partial: String::new(),
            messages: Vec::new(),
            media: Vec::new(),
            error: None,
            extract_pending: false,
            last_activity_ms: now_ms,
            last_notice_ms: now_ms,
        }
    }

    /// One event's `data`. Empty data is a heartbeat.
    pub fn event(&mut self, data: &str, now_ms: f64) -> Result<Vec<Update>, ClientError> {
        if data.trim().is_empty() {
            return Ok(self.tick(now_ms).into_iter().collect());
        }
        let event: RunEvent = super::from_json(data)
            .map_err(|e| ClientError::protocol(format!("bad /run_sse event: {e}")))?;
        self.last_activity_ms = now_ms;
        self.last_notice_ms = now_ms;
        let mut updates = Vec::new();
        if let Some(meta) = event
            .custom_metadata
            .clone()
            .and_then(|m| super::from_value::<ProgressMeta>(m).ok())
        {
            updates.push(Update::Progress {
                progress: meta.progress,
                stage: meta.stage,
                media_id: meta.media_id,
            });
        }
        if let Some(content) = &event.content {
            self.content(content, event.partial == Some(true), &mut updates);
        }
        if event.error_code.is_some() || event.error_message.is_some() {
            let code = event.error_code.unwrap_or_default();
            let message = event
                .error_message
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| format!("The server reported an error ({code})."));
            updates.push(Update::Error {
                code: code.clone(),
                message: message.clone(),
            });
            self.error = Some((code, message));
        }
        Ok(updates)
    }

    fn content(&mut self, content: &Content, partial: bool, updates: &mut Vec<Update>) {
        let text = content.text();
        if !text.is_empty() {
            if partial {
                // ADK streaming: fragments, then one final event carrying the whole message.
                self.partial.push_str(&text);
                shown(updates, &self.partial, true);
            } else {
                self.partial.clear();
                self.messages.push(text.clone());
                shown(updates, &text, false);
            }
        }
        for part in &content.parts {
            if let Some(call) = &part.function_call {
                if call.name == EXTRACT_FUNCTION {
                    self.extract_pending = true;
                }
                updates.push(Update::Tool {
                    name: call.name.clone(),
                    phase: ToolPhase::Call,
                });
            }
            if let Some(response) = &part.function_response {
                updates.push(Update::Tool {
                    name: response.name.clone(),
                    phase: ToolPhase::Response,
                });
                if response.name == EXTRACT_FUNCTION {
                    self.extract_pending = false;
                    if let Some(media) = generated_media(&response.response) {
                        self.add_media(media.clone());
                        updates.push(Update::Media { media });
                    }
                }
            }
        }
    }

    /// Called as bytes arrive (heartbeats included): "still working" after two minutes
    /// without a real event, then again every two minutes.
    pub fn tick(&mut self, now_ms: f64) -> Option<Update> {
        if now_ms - self.last_notice_ms < super::STILL_WORKING_AFTER_MS {
            return None;
        }
        self.last_notice_ms = now_ms;
        let seconds = ((now_ms - self.last_activity_ms) / 1000.0).max(0.0) as u64;
        Some(Update::StillWorking { seconds })
    }

    fn add_media(&mut self, media: GeneratedMedia) {
        match self.media.iter_mut().find(|m| m.id == media.id) {
            Some(known) => *known = media,
            None => self.media.push(media),
        }
    }

    /// How long until [`RunReader::tick`] would report "still working", in ms (at least 1).
    pub fn ms_until_notice(&self, now_ms: f64) -> u64 {
        (super::STILL_WORKING_AFTER_MS - (now_ms - self.last_notice_ms)).max(1.0) as u64
    }

    /// The text so far: the completed messages, or the unfinished one if that is all there is.
    pub fn text(&self) -> String {
        if self.messages.is_empty() {
            self.partial.clone()
        } else {
            self.messages.join("\n\n")
        }
    }

    /// The files reported so far.
    pub fn media(&self) -> &[GeneratedMedia] {
        &self.media
    }

    /// The error event, if the server sent one.
    pub fn error(&self) -> Option<&(String, String)> {
        self.error.as_ref()
    }

    /// Whether the stream left something to look up in the state: no text and no file, or an
    /// extraction started and never answered.
    pub fn needs_state(&self) -> bool {
        self.media.is_empty() && (self.text().trim().is_empty() || self.extract_pending)
    }
}

/// A text update, without the backend's GUI phrases ("Click Export…" is never shown; what it
/// stands for is done at the end of the run). Nothing is reported when nothing else is left.
fn shown(updates: &mut Vec<Update>, text: &str, partial: bool) {
    let text = match translate_gui(text) {
        (kept, Some(_)) => kept,
        (_, None) => text.to_string(),
    };
    if !text.is_empty() {
        updates.push(Update::Text { text, partial });
    }
}

/// `{"generated_media": {...}}` of an extract response.
fn generated_media(response: &Value) -> Option<GeneratedMedia> {
    super::from_value(response.get("generated_media")?.clone()).ok()
}

/// How much of a non-stream answer to `/run_sse` is read to find its error code.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

impl<T: Transport> Client<T> {
    /// Send `text` to `/run_sse` and follow the run to its end, calling `on_update` as things
    /// happen.
    pub async fn run(
        &self,
        text: &str,
        on_update: &mut dyn FnMut(Update),
    ) -> Result<Outcome, ClientError> {
        let work = async {
            let generation = self.generation();
            if self.known_media.borrow().is_none() || self.known_draft.borrow().is_none() {
                // Without a "before" we could not tell what a silent run changed.
                self.state().await?;
            }
            let draft_before = self.known_draft.borrow().clone().unwrap_or_default();
            let started_at = self.transport.now_ms();
            let mut stream = self
                .recover(Needs::Session, generation, &mut || {
                    Box::pin(async move {
                        // After a 1002 the session is new and does not have the file yet.
                        self.carry_upload_over().await?;
                        let body = serde_json::to_string(&RunSseRequest {
                            app_name: APP_NAME.into(),
                            user_id: "me".into(),
                            session_id: self.session_id().unwrap_or_default(),
                            new_message: Content::user_text(text),
                            streaming: true,
                        })
                        .map_err(ClientError::protocol)?;
                        let mut request = self.request(Method::Post, paths::RUN_SSE, Some(body));
                        request
                            .headers
                            .push(("accept".into(), "text/event-stream".into()));
                        let mut response = self
                            .transport
                            .open_stream(request)
                            .await
                            .map_err(|e| self.network_error(e))?;
                        // A missing Content-Type is taken as a stream (lenient proxies drop it).
                        let is_stream = !response.headers.iter().any(|(name, value)| {
                            name.eq_ignore_ascii_case("content-type")
                                && !is_event_stream_content_type(value)
                        });
                        if (200..300).contains(&response.status) && is_stream {
                            return Ok(Attempt::Done(response.body));
                        }
                        // An error answer (some backends send it with 200) is a small JSON envelope:
                        // read its start and classify it.
                        let mut body = Vec::new();
                        while let Some(chunk) = response
                            .body
                            .next_chunk()
                            .await
                            .map_err(|e| self.network_error(e))?
                        {
                            body.extend_from_slice(&chunk);
                            if body.len() > ERROR_BODY_LIMIT {
                                break;
                            }
                        }
                        let whole = HttpResponse {
                            status: response.status,
                            headers: response.headers,
                            body: String::from_utf8_lossy(&body).into_owned(),
                        };
                        match classify(&whole)? {
                            Attempt::Done(_) => Err(ClientError::protocol(format!(
                                "/run_sse answered HTTP {} with JSON instead of an event stream",
                                whole.status
                            ))),
                            Attempt::Code {
                                code,
                                message,
                                retry_after_secs,
                            } => Ok(Attempt::Code {
                                code,
                                message,
                                retry_after_secs,
                            }),
                        }
                    })
                })
                .await?;

            let mut parser = Parser::new();
            let mut reader = RunReader::new(self.transport.now_ms());
            loop {
                let now = self.transport.now_ms();
                if now - started_at > super::RUN_LIMIT_MS {
                    // Dropping the stream closes the connection.
                    let minutes = (super::RUN_LIMIT_MS as u64 / 60_000).to_string();
                    return Err(self.said("timed_out", Key::RunTimedOut, &[("minutes", &minutes)]));
                }
                let left = (super::RUN_LIMIT_MS - (now - started_at)).max(1.0) as u64;
                let quiet_for = reader.ms_until_notice(now).min(left);
                let chunk = match stream.next_chunk_within(quiet_for).await {
                    Ok(Read::Bytes(chunk)) => chunk,
                    Ok(Read::End) => break,
                    Ok(Read::Quiet) => {
                        // Total silence (not even heartbeats) counts as "still working" too.
                        self.check_abort(generation)?;
                        if let Some(update) = reader.tick(self.transport.now_ms()) {
                            on_update(update);
                        }
                        continue;
                    }
                    Err(TransportError::Aborted) => {
                        return Err(ClientError::Aborted { lang: self.lang() })
                    }
                    Err(TransportError::Network(_)) => {
                        self.check_abort(generation)?;
                        // A file the stream already brought stands; else the state says (see `cut`).
                        if !reader.media().is_empty() {
                            break;
                        }
                        return self
                            .outcome_after_cut(&draft_before, generation, on_update)
                            .await;
                    }
                };
                self.check_abort(generation)?;
                let now = self.transport.now_ms();
                for event in parser.feed(&chunk) {
                    for update in reader.event(&event.data, now)? {
                        on_update(update);
                        // The callback may have aborted: report nothing more.
                        self.check_abort(generation)?;
                    }
                }
                if parser.take_error().is_some() {
                    // The parser's own text is for developers; the person needs what happened.
                    return Err(ClientError::Stream {
                        lang: self.lang(),
                        detail: "the server sent one message over 16 MB".into(),
                    });
                }
                if let Some(update) = reader.tick(now) {
                    on_update(update);
                }
            }
            self.remember(reader.media());

            if let Some((code, message)) = reader.error() {
                if reader.media().is_empty() {
                    return Err(ClientError::run_failed(code, message, self.lang()));
                }
            }
            if !reader.media().is_empty() {
                return Ok(Outcome {
                    text: reader.text(),
                    media: reader.media().to_vec(),
                    ..Outcome::default()
                });
            }
            // No file: the backend may have put the result on its timeline (the hosted service
            // does), said so in GUI words, or said nothing at all (about 30% of its edits).
            let silent = reader.needs_state();
            let polls = if silent {
                super::POLL_SCHEDULE_MS.len() + 1
            } else {
                1
            };
            self.outcome_from_state(reader.text(), &draft_before, polls, generation, on_update)
                .await
        };
        work.await.map_err(|e: ClientError| e.in_lang(self.lang()))
    }
}
