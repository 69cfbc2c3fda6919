//! The API client: configuration, token and session lifecycle, uploads, runs over `/run_sse`,
//! state, credits and exports — plain Rust, generic over a [`Transport`] so the same logic runs
//! in the browser (`crate::wasm`) and in native tests against a scripted fake.

mod after_run;
mod check;
mod core;
mod cut;
mod error;
mod export;
mod gui;
mod json;
mod ops;
mod reupload;
mod run;
mod sentences;
pub mod timeline;
pub mod tolerant;
mod transport;

use serde::{Deserialize, Serialize};

pub use self::core::Client;
pub use crate::protocol::units::download_name;
/// The reference's keyword routing, re-exported for the client's callers.
pub use crate::wording::{route, Route};
pub use check::check_file;
pub use error::{ClientError, ErrorCode};
pub use gui::{translate as translate_gui, GuiAction};
pub use json::{from_json, from_value};
pub use ops::join_url;
pub use run::{Outcome, RunReader, ToolPhase, Update};
pub use transport::{
    ByteStream, HttpRequest, HttpResponse, Method, Progress, Read, StreamResponse, Transport,
    TransportError,
};

/// This project's own server, as `./build.sh run` starts it.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8787";
/// How long to wait after a 429 without `Retry-After`, as the reference says.
pub const DEFAULT_RETRY_AFTER_SECS: u64 = 30;
/// Longest `Retry-After` waited out silently; a longer one is reported as the 429 at once, so
/// an upload or run never freezes for an hour without a word.
pub const MAX_RETRY_WAIT_SECS: u64 = 60;
/// "Still working" is reported after this long with nothing but heartbeats.
pub const STILL_WORKING_AFTER_MS: f64 = 120_000.0;
/// The description's `/run_sse` timeout: a run (or an export) is given up after it.
pub const RUN_LIMIT_MS: f64 = 15.0 * 60_000.0;
/// Waits between looks at the state after a silent stream, and between export polls: quick at
/// first (this project's server is done at once), then the description's 30 s. Exports keep
/// polling at the last one until [`RUN_LIMIT_MS`]; a silent stream is given up after the list
/// (about 2 minutes: the description's edits take 20-40 s).
pub const POLL_SCHEDULE_MS: &[u64] = &[2_000, 4_000, 8_000, 15_000, 30_000, 30_000, 30_000];
/// Waits before sending an upload again after its connection dropped: two more tries, so a
/// brief drop costs seconds, and a network that keeps dropping is said within about 4 s.
pub const UPLOAD_RETRY_WAIT_MS: &[u64] = &[1_000, 3_000];
/// The values `X-Skill-Platform` may take, as the description lists them.
pub const SKILL_PLATFORMS: &[&str] = &["clawhub", "cursor", "unknown"];

/// How a [`Client`] talks to the server. Deserializes from the JavaScript options object
/// (camelCase; every field optional except where the wasm layer fills it in).
/// JavaScript knows it as `ClientOptions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(tsify::Tsify),
    tsify(rename = "ClientOptions", missing_as_null)
)]
#[serde(rename_all = "camelCase", default)]
pub struct Config {
    /// Base URL of the API, without a trailing slash needed.
    pub base_url: String,
    /// The person's own token (the reference's NEMO_TOKEN, set in the options). It is never
    /// swapped for another: when the server refuses it, that is an error the person must see.
    pub token: Option<String>,
    /// An anonymous token this client was given earlier, to reuse. Used only without `token`;
    /// when the server refuses it (expired), a new one is acquired and the request retried.
    pub anonymous_token: Option<String>,
    /// A UUID v4 generated once per install and kept by the caller (`X-Client-Id`).
    pub client_id: String,
    /// A session to continue; when absent one is created on first need.
    pub session_id: Option<String>,
    /// Language for new sessions ("en", "zh", …).
    pub language: Option<String>,
    /// `X-Skill-Platform`: one of [`SKILL_PLATFORMS`] (anything else is sent as `unknown`).
    pub platform: String,
    /// `X-Skill-Version`: the extension's version (its manifest's); this crate's when absent.
    pub version: Option<String>,
    /// Largest file the pre-upload check lets through.
    pub max_upload_bytes: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.into(),
            token: None,
            anonymous_token: None,
            client_id: String::new(),
            session_id: None,
            language: None,
            platform: "unknown".into(),
            version: None,
            max_upload_bytes: crate::protocol::DEFAULT_MAX_UPLOAD_BYTES,
        }
    }
}

impl Config {
    /// The defaults, with the given client id.
    pub fn new(client_id: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            ..Self::default()
        }
    }
}
