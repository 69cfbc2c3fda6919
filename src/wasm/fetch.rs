//! The transport over the global `fetch` (window or worker), with the response body read from
//! its `ReadableStream`, one `AbortController` for everything in flight, and `setTimeout` sleeps.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, AbortSignal, Headers, ReadableStreamDefaultReader, Request, RequestInit,
    Response,
};

use crate::client::{
    ByteStream, HttpRequest, HttpResponse, Progress, Read, StreamResponse, Transport,
    TransportError,
};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, present in windows and workers alike.
    #[wasm_bindgen(js_name = fetch)]
    pub(super) fn global_fetch(request: &Request) -> Promise;
    /// The global `setTimeout`, present in windows and workers alike.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32) -> JsValue;
    /// The global `clearTimeout`.
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// Response headers the client reads (CORS only shows the server's exposed ones anyway).
const READ_HEADERS: &[&str] = &["retry-after", "content-type"];

/// The browser transport.
pub struct FetchTransport {
    controller: RefCell<AbortController>,
}

impl FetchTransport {
    /// A transport with a fresh abort controller.
    pub fn new() -> Result<Self, JsValue> {
        Ok(Self {
            controller: RefCell::new(AbortController::new()?),
        })
    }

    /// The signal every request in flight listens to.
    pub(super) fn signal(&self) -> AbortSignal {
        self.controller.borrow().signal()
    }

    async fn fetch(&self, request: &HttpRequest) -> Result<Response, TransportError> {
        let headers = Headers::new().map_err(transport_error)?;
        for (name, value) in &request.headers {
            headers.append(name, value).map_err(transport_error)?;
        }
        let init = RequestInit::new();
        init.set_method(request.method.as_str());
        init.set_headers(&headers);
        if let Some(body) = &request.body {
            init.set_body(&JsValue::from_str(body));
        }
        init.set_signal(Some(&self.signal()));
        let js_request =
            Request::new_with_str_and_init(&request.url, &init).map_err(transport_error)?;
        let response = JsFuture::from(global_fetch(&js_request))
            .await
            .map_err(transport_error)?;
        response.dyn_into::<Response>().map_err(transport_error)
    }
}

/// Read the headers the client uses.
pub(super) fn read_headers(get: impl Fn(&str) -> Option<String>) -> Vec<(String, String)> {
    READ_HEADERS
        .iter()
        .filter_map(|name| get(name).map(|value| (name.to_string(), value)))
        .collect()
}

/// A rejected promise as a transport error: `AbortError` is a cancel, anything else means the
/// server could not be reached (fetch rejects only then; HTTP errors resolve).
pub(super) fn transport_error(error: JsValue) -> TransportError {
    let name = Reflect::get(&error, &"name".into())
        .ok()
        .and_then(|n| n.as_string());
    if name.as_deref() == Some("AbortError") {
        return TransportError::Aborted;
    }
    let message = Reflect::get(&error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "request failed".into());
    TransportError::Network(message)
}

/// A whole (small) answer: status, the headers the client reads, the body as text.
pub(super) async fn whole_response(
    response: &web_sys::Response,
) -> Result<HttpResponse, TransportError> {
    let text = JsFuture::from(response.text().map_err(transport_error)?)
        .await
        .map_err(transport_error)?;
    let headers = response.headers();
    Ok(HttpResponse {
        status: response.status(),
        headers: read_headers(|name| headers.get(name).ok().flatten()),
        body: text.as_string().unwrap_or_default(),
    })
}

impl Transport for FetchTransport {
    type File = web_sys::Blob;
    type Stream = FetchStream;

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let response = self.fetch(&request).await?;
        whole_response(&response).await
    }

    async fn open_stream(
        &self,
        request: HttpRequest,
    ) -> Result<StreamResponse<FetchStream>, TransportError> {
        let response = self.fetch(&request).await?;
        let reader = match response.body() {
            Some(body) => Some(ReadableStreamDefaultReader::new(&body).map_err(transport_error)?),
            None => None,
        };
        let headers = response.headers();
        Ok(StreamResponse {
            status: response.status(),
            headers: read_headers(|name| headers.get(name).ok().flatten()),
            body: FetchStream {
                reader,
                pending: None,
            },
        })
    }

    async fn upload(
        &self,
        request: HttpRequest,
        file: &web_sys::Blob,
        file_name: &str,
        progress: Progress,
    ) -> Result<HttpResponse, TransportError> {
        super::upload::upload(self, request, file, file_name, progress).await
    }

    async fn sleep(&self, ms: u64) {
        let signal = self.signal();
        let mut wake = None;
        let promise = Promise::new(&mut |resolve, _reject| {
            let ms = i32::try_from(ms).unwrap_or(i32::MAX);
            set_timeout(&resolve, ms);
            // An abort ends the wait at once; the client then sees the abort and stops.
            let _ = signal.add_event_listener_with_callback("abort", &resolve);
            wake = Some(resolve);
        });
        let _ = JsFuture::from(promise).await;
        if let Some(wake) = wake {
            let _ = signal.remove_event_listener_with_callback("abort", &wake);
        }
    }

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn abort(&self) {
        if let Ok(fresh) = AbortController::new() {
            self.controller.replace(fresh).abort();
        } else {
            self.controller.borrow().abort();
        }
    }
}

/// A response body read chunk by chunk from its `ReadableStream`.
pub struct FetchStream {
    reader: Option<ReadableStreamDefaultReader>,
    /// A read that outlived a [`ByteStream::next_chunk_within`] timeout: its chunk comes next.
    pending: Option<JsFuture>,
}

impl FetchStream {
    /// The read in flight, or a new one.
    fn read(&mut self) -> Option<JsFuture> {
        let reader = self.reader.as_ref()?;
        Some(
            self.pending
                .take()
                .unwrap_or_else(|| JsFuture::from(reader.read())),
        )
    }

    /// A settled read as a chunk, or the end.
    fn chunk(
        &mut self,
        result: Result<JsValue, JsValue>,
    ) -> Result<Option<Vec<u8>>, TransportError> {
        let result = result.map_err(transport_error)?;
        let done = Reflect::get(&result, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            self.reader = None;
            return Ok(None);
        }
        let value = Reflect::get(&result, &"value".into()).map_err(transport_error)?;
        Ok(Some(
            value
                .dyn_into::<Uint8Array>()
                .map_err(transport_error)?
                .to_vec(),
        ))
    }
}

impl Drop for FetchStream {
    /// A run that ends early (a bad event, a failed run) closes the connection instead of
    /// leaving the browser to download the rest.
    fn drop(&mut self) {
        if let Some(reader) = self.reader.take() {
            wasm_bindgen_futures::spawn_local(async move {
                // The stream may already be errored (aborted): nothing to do then.
                let _ = JsFuture::from(reader.cancel()).await;
            });
        }
    }
}

impl ByteStream for FetchStream {
    async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError> {
        let Some(read) = self.read() else {
            return Ok(None);
        };
        let result = read.await;
        self.chunk(result)
    }

    async fn next_chunk_within(&mut self, ms: u64) -> Result<Read, TransportError> {
        let Some(mut read) = self.read() else {
            return Ok(Read::End);
        };
        let mut timer_id = JsValue::UNDEFINED;
        let mut timer = JsFuture::from(Promise::new(&mut |resolve, _reject| {
            timer_id = set_timeout(&resolve, i32::try_from(ms).unwrap_or(i32::MAX));
        }));
        let settled = std::future::poll_fn(|cx| {
            if let Poll::Ready(result) = Pin::new(&mut read).poll(cx) {
                return Poll::Ready(Some(result));
            }
            Pin::new(&mut timer).poll(cx).map(|_| None)
        })
        .await;
        clear_timeout(&timer_id);
        match settled {
            Some(result) => Ok(match self.chunk(result)? {
                Some(bytes) => Read::Bytes(bytes),
                None => Read::End,
            }),
            None => {
                self.pending = Some(read);
                Ok(Read::Quiet)
            }
        }
    }
}
