//! Running the server for tests: in-process on a loopback socket (with its [`AppState`] at
//! hand), as the real binary (for restarts and memory), or as a bare router for `oneshot`;
//! plus a small API client that speaks the protocol like the extension does.

#![allow(dead_code)] // each test binary uses a different part

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use clap::Parser;
use futures_util::StreamExt;
use serde_json::{json, Value};
use v2a_protocol::{paths, AdkEvent, Content, RunSseRequest, APP_NAME};
use video_to_audio_server::{app, AppState, Config};

/// A config as the command line would give it, on `data_dir`.
pub fn config(data_dir: &Path, extra: &[&str]) -> Config {
    let mut args = vec![
        "video-to-audio-server".to_owned(),
        "--data-dir".into(),
        data_dir.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Config::parse_from(args)
}

/// A server running in this process on 127.0.0.1 (real socket, real SQLite, real ffmpeg).
pub struct InProcess {
    pub base: String,
    pub state: AppState,
    pub dir: tempfile::TempDir,
}

pub async fn in_process(extra: &[&str]) -> InProcess {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = AppState::init(config(dir.path(), extra))
        .await
        .expect("server state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("bound address");
    let router = app(state.clone());
    let header_timeout = std::time::Duration::from_secs(state.config.header_timeout_secs);
    tokio::spawn(video_to_audio_server::serve::serve(
        listener,
        router,
        header_timeout,
        std::future::pending(),
    ));
    InProcess {
        base: format!("http://{addr}"),
        state,
        dir,
    }
}

/// The real binary, started on a free loopback port.
pub struct Binary {
    pub base: String,
    pub child: Child,
}

impl Binary {
    /// Start `video-to-audio-server --listen 127.0.0.1:0 --data-dir <dir> <extra>` and wait for
    /// its `listening on http://…` line.
    pub fn start(data_dir: &Path, extra: &[&str]) -> Self {
        Self::start_with_env(data_dir, extra, &[])
    }

    /// [`Binary::start`] with extra environment variables.
    pub fn start_with_env(data_dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_video-to-audio-server"))
            .args(["--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .args(extra)
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the server binary");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the first line");
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        Self { base, child }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, as a service manager stopping the server would; waits (at most `within`) for
    /// the process to exit and returns how it exited.
    pub fn terminate(&mut self, within: std::time::Duration) -> std::process::ExitStatus {
        let sent = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM failed");
        let deadline = std::time::Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the server") {
                return status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the server did not stop within {within:?} of SIGTERM"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// SIGKILL, as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A client holding a token and a session.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
    pub token: String,
    pub session: String,
}

/// Status and parsed JSON body.
pub type Answer = (u16, Value);

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("response body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

impl Api {
    /// Get a token and a session, like the extension's first run.
    pub async fn connect(base: &str) -> Self {
        let http = reqwest::Client::new();
        let (status, body) = answer(
            http.post(format!("{base}{}", paths::ANONYMOUS_TOKEN))
                .header("x-client-id", uuid::Uuid::new_v4().to_string())
                .send()
                .await
                .expect("token request"),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let token = body["data"]["token"].as_str().expect("token").to_owned();
        let mut api = Self {
            base: base.to_owned(),
            http,
            token,
            session: String::new(),
        };
        api.session = api.new_session().await;
        api
    }

    pub async fn new_session(&self) -> String {
        self.new_session_in("en").await
    }

    /// A session whose answers are in `language` ("en", "zh-CN", or "" for none said).
    pub async fn new_session_in(&self, language: &str) -> String {
        let (status, body) = self
            .post_json(
                paths::NEW_SESSION,
                json!({"task_name": "project", "language": language}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["data"]["session_id"]
            .as_str()
            .expect("session id")
            .to_owned()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> Answer {
        answer(
            self.http
                .get(self.url(path))
                .bearer_auth(&self.token)
                .send()
                .await
                .expect("GET"),
        )
        .await
    }

    pub async fn post_json(&self, path: &str, body: Value) -> Answer {
        answer(
            self.http
                .post(self.url(path))
                .bearer_auth(&self.token)
                .json_body(&body)
                .send()
                .await
                .expect("POST"),
        )
        .await
    }

    /// Multipart upload of a file from disk into `session`.
    pub async fn upload_to(&self, session: &str, file: &Path, name: &str) -> Answer {
        let bytes = std::fs::read(file).expect("read the upload");
        let (content_type, body) = multipart(name, &bytes);
        let response = self
            .http
            .post(self.url(&paths::upload(session)))
            .bearer_auth(&self.token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("upload");
        answer(response).await
    }

    pub async fn upload(&self, file: &Path, name: &str) -> Answer {
        self.upload_to(&self.session, file, name).await
    }

    /// Send a message to /run_sse in `session`; the HTTP status and the events, read to the end.
    pub async fn run_in(&self, session: &str, text: &str) -> (u16, Vec<AdkEvent>, Value) {
        let response = self.send_run(session, text).await;
        let status = response.status().as_u16();
        if status != 200 {
            let (_, body) = answer(response).await;
            return (status, Vec::new(), body);
        }
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            v2a_sse::is_event_stream_content_type(content_type),
            "/run_sse answered {content_type:?}"
        );
        let mut parser = v2a_sse::Parser::new();
        let mut events = Vec::new();
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            for e in parser.feed(&chunk.expect("stream chunk")) {
                events.push(serde_json::from_str(&e.data).expect("each data line is an ADK event"));
            }
        }
        for e in parser.finish() {
            events.push(serde_json::from_str(&e.data).expect("each data line is an ADK event"));
        }
        (status, events, Value::Null)
    }

    pub async fn run(&self, text: &str) -> (u16, Vec<AdkEvent>, Value) {
        self.run_in(&self.session.clone(), text).await
    }

    /// Uploads the two-minute fixture and starts a loudness run on it (long enough to be met
    /// while it runs); the stream, answered 200, still open.
    pub async fn start_long_run(&self) -> reqwest::Response {
        let long = super::media::fixture(super::media::Fixture::LongWav);
        let (status, body) = self.upload(&long, "long.wav").await;
        assert_eq!(status, 200, "{body}");
        let response = self
            .send_run(&self.session, "normalize to podcast loudness as mp3")
            .await;
        assert_eq!(response.status(), 200);
        response
    }

    pub async fn send_run(&self, session: &str, text: &str) -> reqwest::Response {
        let request = RunSseRequest {
            app_name: APP_NAME.into(),
            user_id: "me".into(),
            session_id: session.to_owned(),
            new_message: Content::user_text(text),
            streaming: true,
        };
        self.http
            .post(self.url(paths::RUN_SSE))
            .bearer_auth(&self.token)
            .header("accept", "text/event-stream")
            .json_body(&serde_json::to_value(request).expect("request json"))
            .send()
            .await
            .expect("run_sse")
    }

    pub async fn state_of(&self, session: &str) -> Value {
        let (status, body) = self.get(&paths::state(session)).await;
        assert_eq!(status, 200, "{body}");
        body["data"].clone()
    }

    /// Poll the state until `generated_media[index]` is no longer queued/running.
    pub async fn wait_output(&self, session: &str, index: usize) -> Value {
        for _ in 0..600 {
            let state = self.state_of(session).await;
            let media = &state["generated_media"][index];
            if media.is_object() && !matches!(media["status"].as_str(), Some("queued" | "running"))
            {
                return media.clone();
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("output {index} of {session} did not finish in 60 s");
    }

    /// GET a path without any header; the status and the bytes.
    pub async fn fetch_plain(&self, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let response = self.http.get(self.url(path)).send().await.expect("GET");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (
            status,
            headers,
            response.bytes().await.expect("body").to_vec(),
        )
    }
}

/// JSON bodies without reqwest's `json` feature.
pub trait JsonBody {
    fn json_body(self, body: &Value) -> Self;
}

impl JsonBody for reqwest::RequestBuilder {
    fn json_body(self, body: &Value) -> Self {
        self.header("content-type", "application/json")
            .body(body.to_string())
    }
}

pub const BOUNDARY: &str = "v2a-test-boundary-7MA4YWxkTrZu0gW";

/// The bytes before and after the file in a one-field multipart body.
pub fn multipart_parts(name: &str) -> (String, Vec<u8>, Vec<u8>) {
    let head = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    );
    let tail = format!("\r\n--{BOUNDARY}--\r\n");
    (
        format!("multipart/form-data; boundary={BOUNDARY}"),
        head.into_bytes(),
        tail.into_bytes(),
    )
}

/// A one-field multipart body (content type, bytes).
pub fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let (content_type, head, tail) = multipart_parts(name);
    (content_type, [head, bytes.to_vec(), tail].concat())
}

/// Make a short WAV with a sine tone at test time.
pub fn tone_wav(dir: &Path, frequency: u32, seconds: f64) -> PathBuf {
    let path = dir.join(format!("tone-{frequency}.wav"));
    let status = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i"])
        .arg(format!(
            "sine=frequency={frequency}:duration={seconds}:sample_rate=44100"
        ))
        .args(["-ac", "2", "-c:a", "pcm_s16le"])
        .arg(&path)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success(), "tone generation failed");
    path
}

/// The final text of a turn.
pub fn final_text(events: &[AdkEvent]) -> String {
    let last = events.last().expect("at least one event");
    assert_eq!(
        last.turn_complete,
        Some(true),
        "the last event completes the turn: {last:?}"
    );
    last.content.as_ref().map(Content::text).unwrap_or_default()
}

/// The generated media of a `functionResponse` event, if any.
pub fn generated(events: &[AdkEvent]) -> Option<Value> {
    events.iter().find_map(|e| {
        e.content.as_ref()?.parts.iter().find_map(|p| {
            let r = p.function_response.as_ref()?;
            Some(r.response["generated_media"].clone())
        })
    })
}
