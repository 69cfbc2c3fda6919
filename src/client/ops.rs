//! The plain operations: health, state, credits, uploads, exports and download links.

use serde_json::{json, Value};

use super::core::{classify, envelope_data, Attempt, Needs};
use super::{check_file, tolerant, Client, ClientError, Method, Progress, Transport};
use crate::protocol::text::{say, Key};
use crate::protocol::{
    paths, Credits, Envelope, GeneratedMedia, MediaInfo, RenderRequest, RenderStatus, SessionState,
    UrlUpload,
};

impl<T: Transport> Client<T> {
    /// `GET /healthz`: what the server says about itself (`{version, ffmpeg}` for this
    /// project's server). Needs no token.
    pub async fn health(&self) -> Result<Value, ClientError> {
        let work = async {
            let request = self.request(Method::Get, crate::protocol::paths::HEALTHZ, None);
            let response = self
                .transport
                .send(request)
                .await
                .map_err(|e| self.network_error(e))?;
            let value: Value = match serde_json::from_str(&response.body) {
                Ok(value) if (200..300).contains(&response.status) => value,
                _ => {
                    return Err(match classify(&response)? {
                        Attempt::Code { code, message, .. } => {
                            ClientError::api_in(code, &message, self.lang())
                        }
                        Attempt::Done(_) => ClientError::protocol("/healthz did not answer JSON"),
                    })
                }
            };
            // Accept both a bare object and an envelope around it.
            match super::from_value::<Envelope<Value>>(value.clone()) {
                Ok(Envelope {
                    code: 0,
                    data: Some(data),
                    ..
                }) => Ok(data),
                _ => Ok(value),
            }
        };
        work.await.map_err(|e: ClientError| e.in_lang(self.lang()))
    }

    /// The session's state (`draft`, `video_infos`, `generated_media`).
    pub async fn state(&self) -> Result<SessionState, ClientError> {
        let work = async {
            let (data, _) = self
                .call_value(Needs::Session, Method::Get, paths::state, None)
                .await?;
            let state = tolerant::session_state(&data).map_err(|m| self.unreadable(m))?;
            self.remember(&state.generated_media);
            self.known_draft
                .replace(Some(super::timeline::fingerprint(&state.draft)));
            Ok(state)
        };
        work.await.map_err(|e: ClientError| e.in_lang(self.lang()))
    }

    /// The session's track summary ("Timeline (2 tracks): 1. Video: …"), read from its draft;
    /// a sentence saying the timeline is empty when it has no track.
    pub async fn status_text(&self) -> Result<String, ClientError> {
        let work = async {
            let state = self.state().await?;
            Ok(super::timeline::summary(&state.draft, self.lang())
                .unwrap_or_else(|| say(self.lang(), Key::TimelineEmpty, &[])))
        };
        work.await.map_err(|e: ClientError| e.in_lang(self.lang()))
    }

    /// The credit balance.
    pub async fn credits(&self) -> Result<Credits, ClientError> {
        let work = async {
            let (data, _) = self
                .call_value(
                    Needs::Token,
                    Method::Get,
                    |_| paths::CREDITS.to_string(),
                    None,
                )
                .await?;
            tolerant::credits(&data).map_err(|m| self.unreadable(m))
        };
        work.await.map_err(|e: ClientError| e.in_lang(self.lang()))
    }

    /// Upload a file (checked first with [`check_file`]) with byte progress.
    pub async fn upload_file(
        &self,
        file: &T::File,
        name: &str,
        size: u64,
        mime: &str,
        progress: Progress,
    ) -> Result<MediaInfo, ClientError> {
        let work = async {
            check_file(name, size, mime, self.config.max_upload_bytes, self.lang())?;
            let generation = self.generation();
            // A connection dropped mid-upload: the whole file is sent again (see `cut`).
            let body = self
                .retry_cut_upload(generation, || async {
                    self.recover(Needs::Session, generation, &mut || {
                        let progress = progress.clone();
                        Box::pin(async move {
                            let session = self.session_id().unwrap_or_default();
                            let request =
                                self.request(Method::Post, &paths::upload(&session), None);
                            let response = self
                                .transport
                                .upload(request, file, name, progress)
                                .await
                                .map_err(|e| self.network_error(e))?;
                            classify(&response)
                        })
                    })
                    .await
                })
                .await?;
            self.forget_draft();
            let media =
                tolerant::media_info(&envelope_data(&body)?).map_err(|m| self.unreadable(m))?;
            self.remember_upload(file, name, size, mime);
            Ok(media)
        };
        work.await.map_err(|e: ClientError| e.in_lang(self.lang()))
    }

    /// Have the server fetch a file from a URL (a page's video, say).
    pub async fn upload_url(
        &self,
        url: &str,
        name: Option<&str>,
    ) -> Result<MediaInfo, ClientError> {
        let work = async {
            let body = serde_json::to_string(&UrlUpload {
                url: url.to_string(),
                name: name.map(str::to_string),
            })
            .map_err(ClientError::protocol)?;
            let (data, _) = self
                .call_value(Needs::Session, Method::Post, paths::upload, Some(body))
                .await?;
            self.forget_draft();
            tolerant::media_info(&data).map_err(|m| self.unreadable(m))
        };
        work.await.map_err(|e: ClientError| e.in_lang(self.lang()))
    }

    /// Start an export of the session's draft (`output` defaults to MP3, high quality).
    pub async fn start_export(&self, output: Option<Value>) -> Result<RenderStatus, ClientError> {
        let work = async { Ok(self.start_export_hinted(output).await?.0) };
        work.await.map_err(|e: ClientError| e.in_lang(self.lang()))
    }

    /// [`Client::start_export`], with the poll pace the answer asks for (ms), if any.
    pub(super) async fn start_export_hinted(
        &self,
        output: Option<Value>,
    ) -> Result<(RenderStatus, Option<u64>), ClientError> {
        let state = self.state().await?;
        let session_id = self.ensure_session().await?;
        let id = format!(
            "render_{}_{}",
            self.transport.now_ms() as u64,
            self.next_serial()
        );
        let body = serde_json::to_string(&RenderRequest {
            id: id.clone(),
            session_id,
            draft: state.draft,
            output: output.unwrap_or_else(|| json!({"format": "mp3", "quality": "high"})),
        })
        .map_err(ClientError::protocol)?;
        let (data, hint) = self
            .call_value(
                Needs::Session,
                Method::Post,
                |_| paths::RENDER.to_string(),
                Some(body),
            )
            .await?;
        let status = tolerant::render(&data, &id).map_err(|m| self.unreadable(m))?;
        Ok((status, hint.or_else(|| tolerant::poll_hint_ms(&data))))
    }

    /// Poll an export started with [`Client::start_export`].
    pub async fn export_status(&self, render_id: &str) -> Result<RenderStatus, ClientError> {
        let work = async { Ok(self.export_status_hinted(render_id).await?.0) };
        work.await.map_err(|e: ClientError| e.in_lang(self.lang()))
    }

    /// [`Client::export_status`], with the poll pace the answer asks for (ms), if any.
    pub(super) async fn export_status_hinted(
        &self,
        render_id: &str,
    ) -> Result<(RenderStatus, Option<u64>), ClientError> {
        let (data, hint) = self
            .call_value(
                Needs::Token,
                Method::Get,
                |_| paths::render_status(render_id),
                None,
            )
            .await?;
        let status = tolerant::render(&data, render_id).map_err(|m| self.unreadable(m))?;
        Ok((status, hint.or_else(|| tolerant::poll_hint_ms(&data))))
    }

    /// An absolute URL for a result, usable without headers (signed), if the server gave one.
    pub fn download_url(&self, media: &GeneratedMedia) -> Option<String> {
        media
            .download_url
            .as_deref()
            .map(|u| join_url(&self.config.base_url, u))
    }

    /// An upload may put the file on the timeline (the hosted service does): the draft is read
    /// again before the next run, so that only the run's own changes count as its result.
    fn forget_draft(&self) {
        self.known_draft.replace(None);
    }

    /// Note the status of generated files, to tell later what a silent run changed.
    pub(super) fn remember(&self, media: &[GeneratedMedia]) {
        let mut known = self.known_media.borrow_mut();
        let known = known.get_or_insert_with(Default::default);
        for m in media {
            known.insert(m.id.clone(), m.status);
        }
    }
}

/// `path` made absolute against `base` (an absolute `path` is returned as it is).
pub fn join_url(base: &str, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        return path.to_string();
    }
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}
