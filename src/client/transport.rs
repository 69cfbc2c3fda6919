//! What the client needs from the platform: HTTP with JSON bodies, a streamed body for
//! `/run_sse`, a multipart upload with byte progress, a sleeper and a clock.
//!
//! The browser implements it over fetch / XMLHttpRequest (`crate::wasm`); native tests implement
//! it with a scripted fake. The client logic is written once, generic over it.

use std::rc::Rc;

/// HTTP method of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

/// One request, fully built (absolute URL, every header).
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    /// The path relative to the base URL, for logs and fakes.
    pub path: String,
    /// Every header, names in lower case.
    pub headers: Vec<(String, String)>,
    /// JSON text, sent with `Content-Type: application/json`.
    pub body: Option<String>,
}

impl HttpRequest {
    /// The value of a header (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// A whole response.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The headers the client reads (`retry-after`, `content-type`).
    pub headers: Vec<(String, String)>,
    /// The whole body, as text.
    pub body: String,
}

impl HttpResponse {
    /// The value of a header (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// A response whose body is read chunk by chunk.
pub struct StreamResponse<S> {
    /// The HTTP status.
    pub status: u16,
    /// The headers the client reads (`retry-after`, `content-type`).
    pub headers: Vec<(String, String)>,
    /// The body, still to be read.
    pub body: S,
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// How a request failed below HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// Nothing came back: connection refused, DNS, offline, CORS refusal.
    Network(String),
    /// Cancelled through [`Transport::abort`].
    Aborted,
}

/// Byte progress of an upload: `(sent, total)`.
pub type Progress = Rc<dyn Fn(u64, u64)>;

/// A body read chunk by chunk.
#[allow(async_fn_in_trait)] // Single-threaded by design (wasm): no Send bound is wanted.
pub trait ByteStream {
    /// The next chunk, or `None` at the end of the body. An error mid-way is a cut stream.
    async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError>;

    /// Like [`ByteStream::next_chunk`], but gives up after `ms` with [`Read::Quiet`], keeping
    /// the read in flight for the next call (no byte is lost). Platforms without timers may
    /// keep the default, which waits for the next chunk however long it takes.
    async fn next_chunk_within(&mut self, ms: u64) -> Result<Read, TransportError> {
        let _ = ms;
        Ok(match self.next_chunk().await? {
            Some(bytes) => Read::Bytes(bytes),
            None => Read::End,
        })
    }
}

/// What [`ByteStream::next_chunk_within`] got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// A chunk of the body.
    Bytes(Vec<u8>),
    /// The end of the body.
    End,
    /// Nothing arrived in time.
    Quiet,
}

/// The platform under the client.
#[allow(async_fn_in_trait)] // Single-threaded by design (wasm): no Send bound is wanted.
pub trait Transport {
    /// A file to upload (the browser's `Blob`/`File`, streamed from disk by the platform).
    /// Cloned to upload it again into a new session (a `Blob` handle, not its bytes).
    type File: Clone;
    /// The streamed body of `/run_sse`.
    type Stream: ByteStream;

    /// Send a request and read the whole (small, JSON) answer.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;

    /// Send a request and return as soon as the headers arrived; the body is read by the caller.
    async fn open_stream(
        &self,
        request: HttpRequest,
    ) -> Result<StreamResponse<Self::Stream>, TransportError>;

    /// Send `file` as the multipart field `file` (with `file_name`), reporting byte progress.
    /// The platform must stream it; it is never read whole into memory.
    async fn upload(
        &self,
        request: HttpRequest,
        file: &Self::File,
        file_name: &str,
        progress: Progress,
    ) -> Result<HttpResponse, TransportError>;

    /// Wait. Cut short (returning early) by [`Transport::abort`] where the platform can.
    async fn sleep(&self, ms: u64);

    /// Milliseconds on a monotonic-enough clock (only differences are used).
    fn now_ms(&self) -> f64;

    /// Cancel every request in flight; later requests are not affected.
    fn abort(&self);
}
