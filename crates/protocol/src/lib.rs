//! The wire types of the Video to Audio API, shared by the client and the server.
//!
//! The shapes follow the hosted service's public description (see docs/PROTOCOL.md): every JSON
//! answer is an [`Envelope`]; `/run_sse` streams Google ADK api_server [`AdkEvent`]s in camelCase.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The ADK app name the hosted API uses in paths and bodies.
pub const APP_NAME: &str = "nemo_agent";
/// Value of `X-Skill-Source`.
pub const SKILL_SOURCE: &str = "video-to-audio";
/// Largest upload either side accepts by default, in bytes (500 MB, decimal SI units).
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = formats::MAX_UPLOAD_BYTES;

/// Header names.
pub mod headers {
    pub const CLIENT_ID: &str = "x-client-id";
    pub const SKILL_SOURCE: &str = "x-skill-source";
    pub const SKILL_VERSION: &str = "x-skill-version";
    pub const SKILL_PLATFORM: &str = "x-skill-platform";
}

/// API paths, relative to the base URL. `{sid}` and friends are filled by the helpers below.
pub mod paths {
    pub const HEALTHZ: &str = "/healthz";
    pub const ANONYMOUS_TOKEN: &str = "/api/auth/anonymous-token";
    pub const NEW_SESSION: &str = "/api/tasks/me/with-session/nemo_agent";
    pub const RUN_SSE: &str = "/run_sse";
    pub const CREDITS: &str = "/api/credits/balance/simple";
    pub const RENDER: &str = "/api/render/proxy/lambda";

    pub fn upload(session_id: &str) -> String {
        format!("/api/upload-video/nemo_agent/me/{session_id}")
    }
    pub fn state(session_id: &str) -> String {
        format!("/api/state/nemo_agent/me/{session_id}/latest")
    }
    /// Poll an export started with [`RENDER`].
    pub fn render_status(render_id: &str) -> String {
        format!("/api/render/proxy/lambda/{render_id}")
    }
    /// Download a generated file (Authorization header, or the signed query of `download_url`).
    pub fn file(media_id: &str) -> String {
        format!("/api/files/{media_id}")
    }
}

/// Every JSON answer: `{"code": 0, "message": "...", "data": ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub code: i64,
    #[serde(default)]
    pub message: String,
    #[serde(default = "none")]
    pub data: Option<T>,
}

fn none<T>() -> Option<T> {
    None
}

/// The reference's error codes. Unknown codes are kept as [`ApiCode::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiCode {
    Ok,
    /// 1001: token expired or invalid.
    TokenInvalid,
    /// 1002: session not found.
    SessionNotFound,
    /// 2001: out of credits.
    OutOfCredits,
    /// 4001: unsupported file type.
    UnsupportedType,
    /// 4002: file too large.
    TooLarge,
    /// 400: missing X-Client-Id (and other malformed requests).
    BadRequest,
    /// 402: the plan does not allow export.
    PlanBlocked,
    /// 429: rate limited.
    RateLimited,
    Other(i64),
}

impl ApiCode {
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => Self::Ok,
            1001 => Self::TokenInvalid,
            1002 => Self::SessionNotFound,
            2001 => Self::OutOfCredits,
            4001 => Self::UnsupportedType,
            4002 => Self::TooLarge,
            400 => Self::BadRequest,
            402 => Self::PlanBlocked,
            429 => Self::RateLimited,
            other => Self::Other(other),
        }
    }
    pub fn code(self) -> i64 {
        match self {
            Self::Ok => 0,
            Self::TokenInvalid => 1001,
            Self::SessionNotFound => 1002,
            Self::OutOfCredits => 2001,
            Self::UnsupportedType => 4001,
            Self::TooLarge => 4002,
            Self::BadRequest => 400,
            Self::PlanBlocked => 402,
            Self::RateLimited => 429,
            Self::Other(c) => c,
        }
    }
    /// The HTTP status this project's server answers with for the code.
    pub fn http_status(self) -> u16 {
        match self {
            Self::Ok => 200,
            Self::TokenInvalid => 401,
            Self::SessionNotFound => 404,
            Self::OutOfCredits => 402,
            Self::UnsupportedType => 415,
            Self::TooLarge => 413,
            Self::BadRequest => 400,
            Self::PlanBlocked => 402,
            Self::RateLimited => 429,
            Self::Other(c) if (400..600).contains(&c) => c as u16,
            Self::Other(_) => 500,
        }
    }
}

pub use formats::{ACCEPTED_AUDIO_TYPES, ACCEPTED_VIDEO_TYPES, IMAGE_TYPES};

/// `data` of `POST /api/auth/anonymous-token`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnonymousToken {
    pub token: String,
    /// Unix seconds.
    #[serde(default)]
    pub expires_at: Option<i64>,
    #[serde(default)]
    pub credits: Option<i64>,
}

/// Body of `POST /api/tasks/me/with-session/nemo_agent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewSessionRequest {
    pub task_name: String,
    #[serde(default)]
    pub language: Option<String>,
}

/// `data` of `POST /api/tasks/me/with-session/nemo_agent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionCreated {
    pub session_id: String,
}

/// Body of a by-URL upload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UrlUpload {
    pub url: String,
    /// Optional display name (for example the page title).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// One audio stream of an upload, as ffprobe saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct AudioStream {
    /// Index among the audio streams, from 0 (ffmpeg's `0:a:N`).
    pub index: u32,
    pub codec: String,
    pub channels: u32,
    pub sample_rate: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bit_rate: Option<u64>,
}

/// An upload (`data` of the upload endpoint, and each entry of `video_infos`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct MediaInfo {
    pub media_id: String,
    pub name: String,
    /// One of [`ACCEPTED_VIDEO_TYPES`] / [`ACCEPTED_AUDIO_TYPES`], decided from the content.
    pub container: String,
    /// Seconds.
    pub duration: f64,
    pub size: u64,
    pub audio_streams: Vec<AudioStream>,
    /// True when the file has no audio stream: it is kept, but extraction from it is refused.
    #[serde(default)]
    pub no_audio: bool,
    /// Unix seconds.
    #[serde(default)]
    pub created_at: i64,
}

/// Status of a generated file or an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    Failed,
    /// The file was removed by the retention sweep.
    Expired,
}

/// One output (`generated_media` entries).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct GeneratedMedia {
    pub id: String,
    pub name: String,
    /// File extension of the output: mp3, m4a, wav, flac, ogg, opus, …
    pub format: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codec: Option<String>,
    /// Seconds.
    #[serde(default)]
    pub duration: Option<f64>,
    #[serde(default)]
    pub size: Option<u64>,
    /// Relative to the base URL, or absolute; works without headers (signed) until it expires.
    #[serde(default)]
    pub download_url: Option<String>,
    pub status: JobStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// 0..1 while running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<f64>,
    /// The upload it came from.
    #[serde(default)]
    pub source_media_id: Option<String>,
    /// What was asked, in short ("MP3 · 192 kbps · 0:30–2:15").
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub created_at: i64,
}

/// `data` of `GET /api/state/nemo_agent/me/<sid>/latest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct SessionState {
    /// Timeline draft in the hosted API's short-key form (`t` tracks, `tt`, `sg`, `d`, `m`).
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(type = "unknown"))]
    pub draft: Value,
    #[serde(default)]
    pub video_infos: Vec<MediaInfo>,
    #[serde(default)]
    pub generated_media: Vec<GeneratedMedia>,
}

/// `data` of `GET /api/credits/balance/simple`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Credits {
    pub available: f64,
    pub frozen: f64,
    pub total: f64,
}

/// Body of `POST /api/render/proxy/lambda`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RenderRequest {
    pub id: String,
    pub session_id: String,
    #[serde(default)]
    pub draft: Value,
    #[serde(default)]
    pub output: Value,
}

/// `data` of the render start and poll endpoints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct RenderStatus {
    pub render_id: String,
    pub status: JobStatus,
    #[serde(default)]
    pub progress: Option<f64>,
    #[serde(default)]
    pub download_url: Option<String>,
    #[serde(default)]
    pub media: Option<GeneratedMedia>,
    #[serde(default)]
    pub error: Option<String>,
}

/// Body of `POST /run_sse` (ADK api_server `RunAgentRequest`, snake_case as ADK sends it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSseRequest {
    pub app_name: String,
    pub user_id: String,
    pub session_id: String,
    pub new_message: Content,
    #[serde(default)]
    pub streaming: bool,
}

/// ADK `Content`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Content {
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub parts: Vec<Part>,
}

impl Content {
    pub fn user_text(text: impl Into<String>) -> Self {
        Self {
            role: Some("user".into()),
            parts: vec![Part::text(text)],
        }
    }
    /// All text parts, concatenated.
    pub fn text(&self) -> String {
        self.parts
            .iter()
            .filter_map(|p| p.text.as_deref())
            .collect()
    }
}

/// ADK `Part`: exactly one of the fields is normally set; unknown kinds are ignored.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Part {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_call: Option<FunctionCall>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_response: Option<FunctionResponse>,
}

impl Part {
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionCall {
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub args: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionResponse {
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub response: Value,
}

/// ADK `EventActions` (only what this product uses; the rest is kept opaque).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventActions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_delta: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_delta: Option<Value>,
}

/// The progress this product carries in `customMetadata`; ADK clients ignore it safely.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressMeta {
    /// 0..1
    pub progress: f64,
    /// "queued", "probing", "extracting", "normalizing", "finishing".
    pub stage: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_id: Option<String>,
}

/// One event of the `/run_sse` stream: Google ADK `Event`, serialized in camelCase.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdkEvent {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub invocation_id: String,
    #[serde(default)]
    pub author: String,
    /// Unix seconds, fractional.
    #[serde(default)]
    pub timestamp: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Content>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn_complete: Option<bool>,
    #[serde(default)]
    pub actions: EventActions,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_metadata: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
}

/// Name of the function call/response the server emits around an extraction; its response is
/// `{"generated_media": GeneratedMedia}`.
pub const EXTRACT_FUNCTION: &str = "extract_audio";

pub mod formats;
pub mod instruction;
pub mod lang;
pub mod loudness;
pub mod spec;
pub mod text;
pub mod units;

pub use lang::Lang;
pub use spec::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_round_trips_and_tolerates_missing_data() {
        let e: Envelope<SessionCreated> =
            serde_json::from_str(r#"{"code":1002,"message":"Session not found"}"#).expect("json");
        assert_eq!(ApiCode::from_code(e.code), ApiCode::SessionNotFound);
        assert!(e.data.is_none());
    }

    #[test]
    fn adk_event_is_camel_case() {
        let ev = AdkEvent {
            invocation_id: "i".into(),
            turn_complete: Some(true),
            content: Some(Content::user_text("hi")),
            ..AdkEvent::default()
        };
        let json = serde_json::to_value(&ev).expect("serialize");
        assert_eq!(json["invocationId"], "i");
        assert_eq!(json["turnComplete"], true);
        assert_eq!(json["content"]["parts"][0]["text"], "hi");
    }

    #[test]
    fn codes_map_to_http_statuses() {
        for (code, status) in [
            (1001, 401),
            (1002, 404),
            (2001, 402),
            (4001, 415),
            (4002, 413),
            (429, 429),
        ] {
            assert_eq!(ApiCode::from_code(code).http_status(), status);
            assert_eq!(ApiCode::from_code(code).code(), code);
        }
    }
}
