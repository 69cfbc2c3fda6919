//! The `Client` class: the API client for JavaScript, built from a plain options object, with
//! async methods that return Promises and take progress / update callbacks.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;
use web_sys::{Blob, File};

use super::error::to_js_error;
use super::{json, FetchTransport};
use crate::client::{self, join_url, Config, Update};

type Inner = client::Client<FetchTransport>;

/// The Video to Audio API client. Keep `token`, `sessionId` and the client id between runs.
#[wasm_bindgen]
pub struct Client {
    inner: Rc<Inner>,
}

/// Run `body` with the shared client and turn its result into a Promise.
fn promise<F, Fut, R>(inner: &Rc<Inner>, body: F) -> Promise
where
    F: FnOnce(Rc<Inner>) -> Fut + 'static,
    Fut: Future<Output = Result<R, client::ClientError>> + 'static,
    R: serde::Serialize,
{
    let inner = inner.clone();
    to_promise(Box::pin(async move {
        let value = body(inner).await.map_err(|e| to_js_error(&e))?;
        json(&value)
    }))
}

/// A boxed future as a Promise. Taking one boxed type means one copy of
/// `future_to_promise`'s machinery in the wasm instead of one per method.
fn to_promise(future: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>) -> Promise {
    future_to_promise(future)
}

#[wasm_bindgen]
impl Client {
    /// A client from a plain options object (see `ClientOptions`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<Client, JsValue> {
        let mut config: Config = if options.is_undefined() || options.is_null() {
            Config::default()
        } else {
            super::from_js(&options)?
        };
        if config.client_id.is_empty() {
            config.client_id = super::new_client_id();
        }
        if config.base_url.trim().is_empty() {
            config.base_url = client::DEFAULT_BASE_URL.into();
        }
        let transport = FetchTransport::new()?;
        Ok(Client {
            inner: Rc::new(client::Client::new(config, transport)),
        })
    }

    /// The token in use, to persist (`undefined` until one is configured or acquired).
    #[wasm_bindgen(getter)]
    pub fn token(&self) -> Option<String> {
        self.inner.token()
    }

    /// The session in use, to persist.
    #[wasm_bindgen(getter, js_name = sessionId)]
    pub fn session_id(&self) -> Option<String> {
        self.inner.session_id()
    }

    /// The client id sent as X-Client-Id (generated when the options had none).
    #[wasm_bindgen(getter, js_name = clientId)]
    pub fn client_id(&self) -> String {
        self.inner.config().client_id.clone()
    }

    /// The base URL in use.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.config().base_url.clone()
    }

    /// What the server says about itself: `{version, ffmpeg}`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Health>")]
    pub fn health(&self) -> Promise {
        promise(&self.inner, |c| async move { c.health().await })
    }

    /// The session id, acquiring a token and creating a session first when needed.
    #[wasm_bindgen(js_name = ensureSession, unchecked_return_type = "Promise<string>")]
    pub fn ensure_session(&self) -> Promise {
        promise(&self.inner, |c| async move { c.ensure_session().await })
    }

    /// Upload a File or Blob, streamed from disk, calling `onProgress(sent, total)` as bytes go
    /// out. `name` is for a Blob (a File has its own). Checked first with `checkFile`.
    #[wasm_bindgen(js_name = uploadFile, unchecked_return_type = "Promise<MediaInfo>")]
    pub fn upload_file(
        &self,
        file: Blob,
        #[wasm_bindgen(js_name = onProgress, unchecked_param_type = "((sent: number, total: number) => void) | undefined")]
        on_progress: Option<Function>,
        name: Option<String>,
    ) -> Promise {
        let name = file
            .dyn_ref::<File>()
            .map(File::name)
            .filter(|n| !n.is_empty())
            .or(name)
            .unwrap_or_else(|| "upload".into());
        let progress: client::Progress = Rc::new(move |sent: u64, total: u64| {
            if let Some(callback) = &on_progress {
                let _ = callback.call2(
                    &JsValue::NULL,
                    &(sent as f64).into(),
                    &(total as f64).into(),
                );
            }
        });
        promise(&self.inner, move |c| async move {
            let size = file.size() as u64;
            let mime = file.type_();
            c.upload_file(&file, &name, size, &mime, progress).await
        })
    }

    /// Have the server fetch a file from a URL.
    #[wasm_bindgen(js_name = uploadUrl, unchecked_return_type = "Promise<MediaInfo>")]
    pub fn upload_url(&self, url: String, name: Option<String>) -> Promise {
        promise(&self.inner, move |c| async move {
            c.upload_url(&url, name.as_deref()).await
        })
    }

    /// Ask for something ("convert to mp3"), calling `onUpdate(update)` as the run goes on;
    /// resolves to the `Outcome`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Outcome>")]
    pub fn run(
        &self,
        text: String,
        #[wasm_bindgen(js_name = onUpdate, unchecked_param_type = "((update: Update) => void) | undefined")]
        on_update: Option<Function>,
    ) -> Promise {
        promise(&self.inner, move |c| async move {
            let mut report = |update: Update| {
                let Some(callback) = &on_update else { return };
                if let Ok(value) = json(&update) {
                    if let Err(thrown) = callback.call1(&JsValue::NULL, &value) {
                        // A broken callback must not stop the run; say so where it shows.
                        web_sys::console::error_2(
                            &"video_to_audio: onUpdate threw".into(),
                            &thrown,
                        );
                    }
                }
            };
            c.run(&text, &mut report).await
        })
    }

    /// Cancel the upload, run or wait in flight; its Promise rejects with code "aborted".
    pub fn abort(&self) {
        self.inner.abort();
    }

    /// The session's state: `{draft, video_infos, generated_media}`.
    #[wasm_bindgen(unchecked_return_type = "Promise<SessionState>")]
    pub fn state(&self) -> Promise {
        promise(&self.inner, |c| async move { c.state().await })
    }

    /// The credit balance: `{available, frozen, total}`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Credits>")]
    pub fn credits(&self) -> Promise {
        promise(&self.inner, |c| async move { c.credits().await })
    }

    /// Start an export of the session's latest result (`output` defaults to
    /// `{format: "mp3", quality: "high"}`; another format converts it; `mediaId` picks a result).
    #[wasm_bindgen(js_name = startExport, unchecked_return_type = "Promise<RenderStatus>")]
    pub fn start_export(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "{ format?: string; quality?: string; mediaId?: string } | undefined"
        )]
        output: JsValue,
    ) -> Result<Promise, JsValue> {
        let output: Option<serde_json::Value> = if output.is_undefined() || output.is_null() {
            None
        } else {
            Some(super::from_js(&output)?)
        };
        Ok(promise(&self.inner, move |c| async move {
            c.start_export(output).await
        }))
    }

    /// Export the session's latest result as `format` ("mp3" when absent) and wait until it is
    /// done, polling at the service's pace; resolves to the exported file (`GeneratedMedia`,
    /// with its link). `onUpdate` gets `{kind: "progress", stage: "exporting"}` updates.
    #[wasm_bindgen(js_name = exportResult, unchecked_return_type = "Promise<GeneratedMedia>")]
    pub fn export_result(
        &self,
        format: Option<String>,
        #[wasm_bindgen(js_name = onUpdate, unchecked_param_type = "((update: Update) => void) | undefined")]
        on_update: Option<Function>,
    ) -> Promise {
        promise(&self.inner, move |c| async move {
            let mut report = |update: Update| {
                if let (Some(callback), Ok(value)) = (&on_update, json(&update)) {
                    let _ = callback.call1(&JsValue::NULL, &value);
                }
            };
            c.export_result(format.as_deref(), &mut report).await
        })
    }

    /// The session's track summary ("Timeline (2 tracks): 1. Video: …"), from its draft.
    #[wasm_bindgen(js_name = statusText, unchecked_return_type = "Promise<string>")]
    pub fn status_text(&self) -> Promise {
        promise(&self.inner, |c| async move { c.status_text().await })
    }

    /// Poll an export.
    #[wasm_bindgen(js_name = exportStatus, unchecked_return_type = "Promise<RenderStatus>")]
    pub fn export_status(&self, render_id: String) -> Promise {
        promise(&self.inner, move |c| async move {
            c.export_status(&render_id).await
        })
    }

    /// The absolute, signed URL of a result (a `GeneratedMedia`, or its `download_url`),
    /// usable without headers by `chrome.downloads` or a link; `undefined` when it has none.
    #[wasm_bindgen(js_name = downloadUrl)]
    pub fn download_url(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GeneratedMedia | string")] media: JsValue,
    ) -> Option<String> {
        let url = media.as_string().or_else(|| {
            Reflect::get(&media, &"download_url".into())
                .ok()
                .and_then(|u| u.as_string())
        })?;
        Some(join_url(&self.inner.config().base_url, &url))
    }
}
