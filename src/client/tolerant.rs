//! Reading the answers the hosted service's description does not pin down: its state, upload,
//! credit and export answers are only named there, never shown. Each reader takes the fields a
//! service is likely to use, ignores the rest, maps status words onto [`JobStatus`], and fails
//! only when a field it cannot do without is missing, naming that field.

use serde_json::Value;

use crate::protocol::{
    paths, Credits, GeneratedMedia, JobStatus, MediaInfo, RenderStatus, SessionState,
};

/// A status word as a [`JobStatus`]; `None` for a word that means nothing here.
pub fn status_word(word: &str) -> Option<JobStatus> {
    let word = word.trim().to_ascii_lowercase();
    Some(match word.as_str() {
        "queued" | "pending" | "waiting" | "created" | "submitted" | "scheduled" => {
            JobStatus::Queued
        }
        "running" | "processing" | "rendering" | "in_progress" | "inprogress" | "started"
        | "exporting" | "working" => JobStatus::Running,
        "done" | "completed" | "complete" | "success" | "succeeded" | "finished" | "ready"
        | "ok" => JobStatus::Done,
        "failed" | "failure" | "error" | "errored" | "cancelled" | "canceled" | "aborted" => {
            JobStatus::Failed
        }
        "expired" | "deleted" | "removed" => JobStatus::Expired,
        _ => return None,
    })
}

/// The first string among `keys` (a key may be a path: "output.url").
fn text(value: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|key| {
        let mut at = value;
        for part in key.split('.') {
            at = at.get(part)?;
        }
        match at {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => n.as_i64().map(|i| i.to_string()),
            _ => None,
        }
    })
}

fn number(value: &Value, keys: &[&str]) -> Option<f64> {
    keys.iter().find_map(|key| match value.get(key)? {
        Value::Number(n) => n.as_f64(),
        // serde_json's own number reader: `str::parse::<f64>` would add core's to the wasm.
        Value::String(s) => serde_json::from_str::<f64>(s.trim()).ok(),
        _ => None,
    })
}

/// Where a download link may be.
const LINK_FIELDS: &[&str] = &[
    "download_url",
    "downloadUrl",
    "url",
    "output_url",
    "outputUrl",
    "output.url",
    "output.download_url",
    "result.url",
    "result.download_url",
    "file_url",
    "fileUrl",
];

/// The download link of an answer, wherever it is.
pub fn link(value: &Value) -> Option<String> {
    text(value, LINK_FIELDS)
}

/// The last path segment of a link, without its query ("talk.mp3").
fn link_name(link: &str) -> Option<String> {
    let path = link.split(['?', '#']).next()?;
    let last = path.rsplit('/').next()?;
    (last.contains('.') && !last.starts_with('.')).then(|| last.to_string())
}

fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty()
        && (1..=5).contains(&ext.len())
        && ext.chars().all(|c| c.is_ascii_alphanumeric()))
    .then(|| ext.to_ascii_lowercase())
}

/// A status from the fields services use for it; a link alone means done.
fn status_of(value: &Value) -> Option<JobStatus> {
    text(value, &["status", "state", "render_status", "renderStatus"])
        .and_then(|w| status_word(&w))
        .or_else(|| link(value).map(|_| JobStatus::Done))
}

/// A progress as 0..1 (a service may count to 100).
fn progress_of(value: &Value) -> Option<f64> {
    let p = number(value, &["progress", "percent", "percentage"])?;
    Some(if p > 1.0 {
        (p / 100.0).min(1.0)
    } else {
        p.max(0.0)
    })
}

/// An answer without a field it cannot do without: which endpoint, which field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Missing {
    /// The endpoint's path.
    pub what: &'static str,
    /// The field.
    pub field: &'static str,
}

fn missing(what: &'static str, field: &'static str) -> Missing {
    Missing { what, field }
}

/// A generated file from an entry that has at least an id, a name or a link.
pub fn media(value: &Value) -> Option<GeneratedMedia> {
    let url = link(value);
    let name = text(
        value,
        &["name", "file_name", "fileName", "filename", "title"],
    )
    .or_else(|| url.as_deref().and_then(link_name));
    let id = text(
        value,
        &[
            "id",
            "media_id",
            "mediaId",
            "output_id",
            "outputId",
            "file_id",
        ],
    )
    .or_else(|| name.clone())
    .or_else(|| url.clone())?;
    let format = text(value, &["format", "ext", "extension"])
        .map(|f| f.to_ascii_lowercase())
        .or_else(|| name.as_deref().and_then(extension))
        .unwrap_or_default();
    let status = status_of(value).unwrap_or(JobStatus::Done);
    Some(GeneratedMedia {
        name: name.unwrap_or_else(|| {
            format!("audio.{}", if format.is_empty() { "mp3" } else { &format })
        }),
        id,
        format,
        codec: text(value, &["codec"]),
        duration: number(value, &["duration"]),
        size: number(value, &["size"]).map(|s| s as u64),
        download_url: url,
        status,
        error: text(value, &["error", "error_message", "errorMessage"]),
        progress: progress_of(value),
        source_media_id: text(value, &["source_media_id", "sourceMediaId"]),
        summary: text(value, &["summary"]),
        created_at: number(value, &["created_at", "createdAt"]).unwrap_or(0.0) as i64,
    })
}

/// An upload's answer: anything with an id or a name is enough.
pub fn media_info(value: &Value) -> Result<MediaInfo, Missing> {
    let value = value
        .get("media")
        .filter(|m| m.is_object())
        .unwrap_or(value);
    let id = text(
        value,
        &["media_id", "mediaId", "id", "file_id", "fileId", "video_id"],
    );
    let name = text(
        value,
        &["name", "file_name", "fileName", "filename", "title"],
    );
    if id.is_none() && name.is_none() {
        return Err(missing("/api/upload-video", "media_id"));
    }
    let name = name.or_else(|| id.clone()).unwrap_or_default();
    let id = id.unwrap_or_else(|| name.clone());
    let container = text(value, &["container", "format", "ext"])
        .or_else(|| extension(&name))
        .unwrap_or_default();
    let audio_streams = value
        .get("audio_streams")
        .cloned()
        .and_then(|s| super::from_value(s).ok())
        .unwrap_or_default();
    Ok(MediaInfo {
        media_id: id,
        name,
        container,
        duration: number(value, &["duration"]).unwrap_or(0.0),
        size: number(value, &["size"]).unwrap_or(0.0) as u64,
        audio_streams,
        no_audio: value
            .get("no_audio")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        created_at: number(value, &["created_at", "createdAt"]).unwrap_or(0.0) as i64,
    })
}

/// The session state: a draft, and whatever uploads and results can be read.
pub fn session_state(value: &Value) -> Result<SessionState, Missing> {
    if !value.is_object() {
        return Err(missing("/api/state", "draft"));
    }
    let list = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    Ok(SessionState {
        draft: value.get("draft").cloned().unwrap_or(Value::Null),
        video_infos: list("video_infos")
            .iter()
            .filter_map(|v| media_info(v).ok())
            .collect(),
        generated_media: list("generated_media").iter().filter_map(media).collect(),
    })
}

/// The credit balance; `available` is the one field it cannot do without.
pub fn credits(value: &Value) -> Result<Credits, Missing> {
    let available = number(value, &["available", "balance", "credits", "remaining"])
        .ok_or_else(|| missing(paths::CREDITS, "available"))?;
    let frozen = number(value, &["frozen", "held"]).unwrap_or(0.0);
    Ok(Credits {
        available,
        frozen,
        total: number(value, &["total"]).unwrap_or(available + frozen),
    })
}

/// An export's answer (start or poll). `sent_id` is the id the client chose, used when the
/// answer names none.
pub fn render(value: &Value, sent_id: &str) -> Result<RenderStatus, Missing> {
    let value = value
        .get("render")
        .filter(|r| r.is_object())
        .unwrap_or(value);
    let status = status_of(value).ok_or_else(|| missing(paths::RENDER, "status"))?;
    let media = value.get("media").and_then(media);
    let download_url = link(value).or_else(|| media.as_ref().and_then(|m| m.download_url.clone()));
    Ok(RenderStatus {
        render_id: text(value, &["render_id", "renderId", "id", "job_id", "jobId"])
            .unwrap_or_else(|| sent_id.to_string()),
        status,
        progress: progress_of(value),
        download_url,
        media,
        error: text(
            value,
            &[
                "error",
                "error_message",
                "errorMessage",
                "reason",
                "message",
            ],
        ),
    })
}

/// How long the service asks to wait before the next poll, in ms, when it says so in the data.
pub fn poll_hint_ms(value: &Value) -> Option<u64> {
    if let Some(ms) = number(value, &["poll_after_ms", "next_poll_ms", "pollAfterMs"]) {
        return Some(ms.max(0.0) as u64);
    }
    number(
        value,
        &["retry_after", "poll_after", "next_poll", "pollAfter"],
    )
    .map(|s| (s.max(0.0) * 1000.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn status_words_map_onto_the_four_states() {
        for (word, want) in [
            ("processing", JobStatus::Running),
            ("Rendering", JobStatus::Running),
            ("pending", JobStatus::Queued),
            ("COMPLETED", JobStatus::Done),
            ("success", JobStatus::Done),
            ("finished", JobStatus::Done),
            ("error", JobStatus::Failed),
        ] {
            assert_eq!(status_word(word), Some(want), "{word}");
        }
        assert_eq!(status_word("sideways"), None);
    }

    #[test]
    fn links_are_found_where_services_put_them() {
        for answer in [
            json!({"download_url": "a"}),
            json!({"url": "a"}),
            json!({"output": {"url": "a"}}),
            json!({"output_url": "a"}),
            json!({"result": {"url": "a"}}),
        ] {
            assert_eq!(link(&answer).as_deref(), Some("a"), "{answer}");
        }
    }
}
