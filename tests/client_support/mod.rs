//! A scripted stand-in for the server, for native tests of the client logic. The real server
//! cannot run inside `cargo test` of this crate (it is another crate, with ffmpeg); the browser
//! tests (tests/wasm_*.rs) exercise the real one. This fake keeps the API's rules (tokens,
//! sessions, envelopes) and fails on demand.
#![allow(dead_code)] // Each test file uses a different part of it.

use std::cell::{Cell, RefCell};
use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Wake};
use std::thread::{self, Thread};

use serde_json::{json, Value};
use video_to_audio::client::{
    ByteStream, Client, Config, HttpRequest, HttpResponse, Progress, Read, StreamResponse,
    Transport, TransportError,
};

struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

fn thread_waker() -> std::task::Waker {
    Arc::new(Unpark(thread::current())).into()
}

/// Poll a future once (to get it to its first wait).
pub fn poll_once<F: Future + ?Sized>(future: std::pin::Pin<&mut F>) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(&thread_waker()))
}

/// Drive a future to its end on this thread (the fake never waits, so this is enough).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let waker = thread_waker();
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(value) => return value,
            Poll::Pending => thread::park(),
        }
    }
}

/// One canned answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// An HTTP answer with a JSON (or any) body.
    Http {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Nothing came back.
    Network(String),
    /// A streamed answer (for `/run_sse`).
    Stream { status: u16, steps: Vec<Step> },
}

impl Reply {
    /// An error envelope with the status this project's server uses for `code`.
    pub fn code(code: i64, message: &str) -> Self {
        let status = video_to_audio::protocol::ApiCode::from_code(code).http_status();
        Self::Http {
            status,
            headers: vec![],
            body: json!({"code": code, "message": message}).to_string(),
        }
    }
    /// 429 with a Retry-After header.
    pub fn rate_limited(retry_after: Option<u64>) -> Self {
        let headers = retry_after
            .map(|s| vec![("Retry-After".to_string(), s.to_string())])
            .unwrap_or_default();
        Self::Http {
            status: 429,
            headers,
            body: json!({"code": 429, "message": "Too many requests."}).to_string(),
        }
    }
}

/// One step of a streamed body.
#[derive(Debug, Clone)]
pub enum Step {
    Bytes(Vec<u8>),
    /// Let time pass (the clock jumps; nothing is really waited).
    Wait(f64),
    /// The connection breaks.
    Cut(String),
}

/// `data: <json>\n\n` as stream bytes.
pub fn event(value: Value) -> Step {
    Step::Bytes(format!("data: {value}\n\n").into_bytes())
}

/// Shared by the fake and its streams.
#[derive(Default)]
struct Shared {
    clock: Cell<f64>,
    aborted: Cell<bool>,
}

/// The fake server + platform.
#[derive(Default)]
pub struct Fake {
    /// Every request, in order.
    pub log: RefCell<Vec<HttpRequest>>,
    /// Every sleep asked for, in ms.
    pub sleeps: RefCell<Vec<u64>>,
    /// Canned answers, each used once by the first request whose path starts with the prefix.
    overrides: RefCell<Vec<(String, Reply)>>,
    tokens: RefCell<HashSet<String>>,
    sessions: RefCell<HashSet<String>>,
    issued: Cell<u32>,
    /// What `GET state` answers (the `data`), and the script of `/run_sse`.
    pub state: RefCell<Value>,
    pub run_steps: RefCell<Vec<Step>>,
    /// When set, each sleep yields once (Pending) before it ends, so a test can act mid-wait.
    pub pause_in_sleep: Cell<bool>,
    shared: Rc<Shared>,
}

/// A future that is Pending once, then Ready.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

impl Fake {
    pub fn new() -> Self {
        let fake = Self::default();
        fake.state
            .replace(json!({"draft": {}, "video_infos": [], "generated_media": []}));
        fake
    }

    /// Answer the next request to `path_prefix` with `reply` (once).
    pub fn once(&self, path_prefix: &str, reply: Reply) {
        self.overrides
            .borrow_mut()
            .push((path_prefix.to_string(), reply));
    }

    /// Make `token` valid, as if issued earlier.
    pub fn accept_token(&self, token: &str) {
        self.tokens.borrow_mut().insert(token.to_string());
    }

    /// Forget every token (they expire).
    pub fn expire_tokens(&self) {
        self.tokens.borrow_mut().clear();
    }

    /// Forget every session.
    pub fn drop_sessions(&self) {
        self.sessions.borrow_mut().clear();
    }

    /// The paths requested, in order.
    pub fn paths(&self) -> Vec<String> {
        self.log.borrow().iter().map(|r| r.path.clone()).collect()
    }

    pub fn now(&self) -> f64 {
        self.shared.clock.get()
    }

    fn next_id(&self, prefix: &str) -> String {
        self.issued.set(self.issued.get() + 1);
        format!("{prefix}-{}", self.issued.get())
    }

    fn take_override(&self, path: &str) -> Option<Reply> {
        let mut overrides = self.overrides.borrow_mut();
        let at = overrides
            .iter()
            .position(|(prefix, _)| path.starts_with(prefix.as_str()))?;
        Some(overrides.remove(at).1)
    }

    /// The happy server's answer.
    fn serve(&self, request: &HttpRequest) -> Reply {
        if let Some(reply) = self.take_override(&request.path) {
            return reply;
        }
        let path = request.path.as_str();
        if path == "/healthz" {
            return ok(json!({"version": "test", "ffmpeg": "fake"}));
        }
        if path == "/api/auth/anonymous-token" {
            if request.header("x-client-id").unwrap_or_default().is_empty() {
                return Reply::code(400, "The X-Client-Id header is missing.");
            }
            let token = self.next_id("tok");
            self.tokens.borrow_mut().insert(token.clone());
            return ok(json!({"token": token, "credits": 100}));
        }
        let token = request
            .header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
            .unwrap_or_default();
        if !self.tokens.borrow().contains(token) {
            return Reply::code(1001, "Token expired or invalid.");
        }
        if path == "/api/tasks/me/with-session/nemo_agent" {
            let session = self.next_id("sess");
            self.sessions.borrow_mut().insert(session.clone());
            return ok(json!({"session_id": session}));
        }
        if path == "/api/credits/balance/simple" {
            return ok(json!({"available": 99.0, "frozen": 1.0, "total": 100.0}));
        }
        let session = session_of(request);
        if let Some(session) = &session {
            if !self.sessions.borrow().contains(session) {
                return Reply::code(1002, "Session not found.");
            }
        }
        if path.starts_with("/api/state/") {
            return ok(self.state.borrow().clone());
        }
        if path.starts_with("/api/upload-video/") {
            return ok(media_info("m-1", "clip.wav"));
        }
        if path == "/api/render/proxy/lambda" {
            let body: Value =
                serde_json::from_str(request.body.as_deref().unwrap_or("{}")).unwrap_or_default();
            let session = body["sessionId"].as_str().unwrap_or_default();
            if !self.sessions.borrow().contains(session) {
                return Reply::code(1002, "Session not found.");
            }
            return ok(json!({"render_id": body["id"], "status": "running", "progress": 0.5}));
        }
        if let Some(id) = path.strip_prefix("/api/render/proxy/lambda/") {
            return ok(json!({"render_id": id, "status": "done", "progress": 1.0,
                             "download_url": "/api/files/g-1?exp=1&sig=ab",
                             "media": generated("g-1", "done")}));
        }
        if path == "/run_sse" {
            return Reply::Stream {
                status: 200,
                steps: self.run_steps.borrow().clone(),
            };
        }
        Reply::code(404, "No such route.")
    }

    fn log(&self, request: &HttpRequest) {
        self.log.borrow_mut().push(request.clone());
    }
}

/// The session a request is about: in the path, or in the `/run_sse` body.
fn session_of(request: &HttpRequest) -> Option<String> {
    for prefix in [
        "/api/state/nemo_agent/me/",
        "/api/upload-video/nemo_agent/me/",
    ] {
        if let Some(rest) = request.path.strip_prefix(prefix) {
            return Some(rest.split('/').next().unwrap_or_default().to_string());
        }
    }
    if request.path == "/run_sse" {
        let body: Value = serde_json::from_str(request.body.as_deref()?).ok()?;
        return body["session_id"].as_str().map(str::to_string);
    }
    None
}

/// A success envelope.
pub fn ok(data: Value) -> Reply {
    Reply::Http {
        status: 200,
        headers: vec![],
        body: json!({"code": 0, "message": "ok", "data": data}).to_string(),
    }
}

pub fn media_info(id: &str, name: &str) -> Value {
    json!({
        "media_id": id, "name": name, "container": "wav", "duration": 3.0, "size": 1000,
        "audio_streams": [{"index": 0, "codec": "pcm_s16le", "channels": 1, "sample_rate": 8000}],
        "no_audio": false, "created_at": 1
    })
}

pub fn generated(id: &str, status: &str) -> Value {
    json!({
        "id": id, "name": "clip.mp3", "format": "mp3", "duration": 3.0, "size": 48000,
        "download_url": format!("/api/files/{id}?exp=1&sig=ab"), "status": status,
        "source_media_id": "m-1", "summary": "MP3", "created_at": 2
    })
}

pub struct FakeStream {
    steps: VecDeque<Step>,
    shared: Rc<Shared>,
}

impl ByteStream for FakeStream {
    async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, TransportError> {
        loop {
            if self.shared.aborted.get() {
                return Err(TransportError::Aborted);
            }
            match self.steps.pop_front() {
                None => return Ok(None),
                Some(Step::Bytes(bytes)) => return Ok(Some(bytes)),
                Some(Step::Wait(ms)) => self.shared.clock.set(self.shared.clock.get() + ms),
                Some(Step::Cut(why)) => return Err(TransportError::Network(why)),
            }
        }
    }

    async fn next_chunk_within(&mut self, ms: u64) -> Result<Read, TransportError> {
        // A wait longer than `ms` is cut in two: the client hears nothing for `ms`.
        if let Some(Step::Wait(wait)) = self.steps.front_mut() {
            if *wait > ms as f64 {
                *wait -= ms as f64;
                self.shared.clock.set(self.shared.clock.get() + ms as f64);
                return Ok(Read::Quiet);
            }
        }
        Ok(match self.next_chunk().await? {
            Some(bytes) => Read::Bytes(bytes),
            None => Read::End,
        })
    }
}

impl Transport for Fake {
    type File = Vec<u8>;
    type Stream = FakeStream;

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.log(&request);
        self.shared.aborted.set(false);
        match self.serve(&request) {
            Reply::Http {
                status,
                headers,
                body,
            } => Ok(HttpResponse {
                status,
                headers,
                body,
            }),
            Reply::Network(why) => Err(TransportError::Network(why)),
            Reply::Stream { .. } => panic!("a stream answer for a plain request"),
        }
    }

    async fn open_stream(
        &self,
        request: HttpRequest,
    ) -> Result<StreamResponse<FakeStream>, TransportError> {
        self.log(&request);
        self.shared.aborted.set(false);
        let (status, headers, steps) = match self.serve(&request) {
            Reply::Http {
                status,
                headers,
                body,
            } => (status, headers, vec![Step::Bytes(body.into_bytes())]),
            Reply::Network(why) => return Err(TransportError::Network(why)),
            Reply::Stream { status, steps } => (status, vec![], steps),
        };
        Ok(StreamResponse {
            status,
            headers,
            body: FakeStream {
                steps: steps.into(),
                shared: self.shared.clone(),
            },
        })
    }

    async fn upload(
        &self,
        request: HttpRequest,
        file: &Vec<u8>,
        _file_name: &str,
        progress: Progress,
    ) -> Result<HttpResponse, TransportError> {
        let total = file.len() as u64;
        for sent in [0, total / 2, total] {
            progress(sent, total);
        }
        self.send(request).await
    }

    async fn sleep(&self, ms: u64) {
        self.sleeps.borrow_mut().push(ms);
        if self.pause_in_sleep.get() {
            YieldOnce(false).await;
        }
        self.shared.clock.set(self.shared.clock.get() + ms as f64);
    }

    fn now_ms(&self) -> f64 {
        self.shared.clock.get()
    }

    fn abort(&self) {
        self.shared.aborted.set(true);
    }
}

/// A client over a fresh fake, with a fixed client id.
pub fn client() -> Client<Fake> {
    Client::new(
        Config::new("0b5e7a54-1111-4222-8333-444455556666"),
        Fake::new(),
    )
}

/// Uploads a 64-byte "a.mp4" through `c`, reporting no progress.
pub fn upload_small_video(c: &Client<Fake>) -> Result<(), video_to_audio::client::ClientError> {
    block_on(c.upload_file(
        &vec![7u8; 64],
        "a.mp4",
        64,
        "video/mp4",
        std::rc::Rc::new(|_, _| {}),
    ))
    .map(|_| ())
}

/// A client whose config says `config`.
pub fn client_with(config: Config) -> Client<Fake> {
    Client::new(config, Fake::new())
}
