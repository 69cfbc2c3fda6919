//! ffmpeg and ffprobe behind plain async functions that return `Result`, kept out of handlers.
//!
//! INTERFACE CONTRACT (the API side codes against exactly these signatures).
//!
//! Inside: [`detect`] reads magic bytes, [`probe`](mod@probe) asks ffprobe and decides the type,
//! [`plan`](mod@plan) decides what an extraction produces (pure), [`args`] turns a plan into
//! ffmpeg arguments (pure), [`select`] picks the track and range, [`run`] runs ffmpeg with progress, [`extract`](mod@extract) ties
//! them together.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub mod args;
pub mod detect;
pub mod extract;
pub mod plan;
pub mod probe;
pub mod process;
pub mod run;
pub mod select;

pub use extract::{extract, extract_planned};
pub use plan::{clock, plan, Encoding, Plan, RateControl};

use v2a_protocol::text::{Key, Said};
use v2a_protocol::{AudioStream, Lang};

/// Where the tools are.
#[derive(Debug, Clone)]
pub struct Tools {
    pub ffmpeg: PathBuf,
    pub ffprobe: PathBuf,
    /// When a silent ffmpeg is stopped.
    pub stall: run::Stall,
}

/// What ffprobe (and the magic bytes) said about an upload.
#[derive(Debug, Clone, PartialEq)]
pub struct Probed {
    /// One of protocol::ACCEPTED_VIDEO_TYPES / ACCEPTED_AUDIO_TYPES, decided from the content.
    pub container: String,
    /// Seconds.
    pub duration: f64,
    pub audio_streams: Vec<AudioStream>,
    pub has_video: bool,
}

/// A finished extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub path: PathBuf,
    /// mp3, m4a, wav, flac, ogg, opus, aac…
    pub extension: String,
    /// Codec written: the plan's encoder, or the copied source codec.
    pub codec: String,
    pub duration: f64,
    pub size: u64,
    /// What the plan expected (the range asked, else the input's duration; 0 when unknown).
    pub expected_duration: f64,
}

impl Output {
    /// Whether the result is clearly shorter than expected: the input's sound stops before its
    /// stated end (a file cut short while saved or uploaded), which the person should be told.
    pub fn ended_early(&self) -> bool {
        self.expected_duration > 0.0
            && self.expected_duration - self.duration > (0.02 * self.expected_duration).max(1.0)
    }
}

/// Every way media work fails; each is a sentence of the catalog (`v2a_protocol::text`), said
/// in the session's language by [`MediaError::say`] (`Display` is the English, for logs).
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// 4001: not a type we take (images, documents, unknown); the sentence says why.
    #[error("{0}")]
    Unsupported(Said),
    #[error("{}", Said::new(Key::MediaNoAudio, &[]))]
    NoAudio,
    #[error("{0}")]
    NoSuchTrack(Said),
    #[error("{0}")]
    EmptyRange(Said),
    /// ffmpeg failed; one sentence, never the whole log.
    #[error("{0}")]
    Failed(Said),
    #[error("ffmpeg or ffprobe could not be run: {0}")]
    Tool(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl MediaError {
    /// A failure of ffmpeg's run, said by `key`.
    pub fn failed(key: Key, args: &[(&'static str, &str)]) -> Self {
        Self::Failed(Said::new(key, args))
    }

    /// The sentence a person sees, in `lang`; tool and disk errors stay in the log.
    pub fn say(&self, lang: Lang) -> String {
        self.said().say(lang)
    }

    /// [`MediaError::say`] before its language is known.
    pub fn said(&self) -> Said {
        match self {
            Self::Unsupported(s) | Self::NoSuchTrack(s) | Self::EmptyRange(s) | Self::Failed(s) => {
                s.clone()
            }
            Self::NoAudio => Said::new(Key::MediaNoAudio, &[]),
            Self::Tool(_) | Self::Io(_) => Said::new(Key::ToolFailed, &[]),
        }
    }
}

impl Default for Tools {
    /// `ffmpeg` and `ffprobe` from `PATH`.
    fn default() -> Self {
        Self {
            ffmpeg: "ffmpeg".into(),
            ffprobe: "ffprobe".into(),
            stall: run::Stall::default(),
        }
    }
}

impl Tools {
    /// Tools at these paths (bare names are looked up in `PATH`).
    pub fn new(ffmpeg: impl Into<PathBuf>, ffprobe: impl Into<PathBuf>) -> Self {
        Self {
            ffmpeg: ffmpeg.into(),
            ffprobe: ffprobe.into(),
            stall: run::Stall::default(),
        }
    }

    /// Run `ffmpeg -version` and `ffprobe -version`; the first line of ffmpeg's, on success.
    pub async fn check(&self) -> Result<String, MediaError> {
        let first = version(&self.ffmpeg, "ffmpeg", "--ffmpeg").await?;
        version(&self.ffprobe, "ffprobe", "--ffprobe").await?;
        Ok(first)
    }
}

/// First line of `<program> -version`.
async fn version(program: &Path, name: &str, flag: &str) -> Result<String, MediaError> {
    let out = process::command(program).arg("-version").output();
    let out = tokio::time::timeout(std::time::Duration::from_secs(20), out)
        .await
        .map_err(|_| {
            MediaError::Tool(format!(
                "'{} -version' did not answer within 20 seconds",
                program.display()
            ))
        })?
        .map_err(|e| tool_error(program, name, flag, &e))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap_or("").trim().to_string();
    if !out.status.success() || first.is_empty() {
        return Err(MediaError::Tool(format!(
            "'{} -version' failed, so it does not look like a working {name}: install it (apt-get install ffmpeg) or pass {flag}",
            program.display()
        )));
    }
    Ok(first)
}

/// The error for a tool that could not be started.
pub(crate) fn tool_error(program: &Path, name: &str, flag: &str, e: &std::io::Error) -> MediaError {
    if e.kind() == std::io::ErrorKind::NotFound {
        MediaError::Tool(format!(
            "{name} was not found at '{}': install it (apt-get install ffmpeg) or pass {flag}",
            program.display()
        ))
    } else {
        MediaError::Tool(format!(
            "{name} at '{}' could not be started ({e}); check it or pass {flag}",
            program.display()
        ))
    }
}

/// `file:<path>`, so a name that looks like a protocol or option is still read as a file.
pub(crate) fn file_arg(path: &Path) -> OsString {
    let mut arg = OsString::from("file:");
    arg.push(path.as_os_str());
    arg
}

/// Probe an upload, deciding its type from the content, not the name.
pub async fn probe(tools: &Tools, path: &Path) -> Result<Probed, MediaError> {
    probe::probe(tools, path).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(expected_duration: f64, duration: f64) -> Output {
        Output {
            path: PathBuf::new(),
            extension: "mp3".into(),
            codec: "mp3".into(),
            duration,
            size: 1,
            expected_duration,
        }
    }

    #[test]
    fn only_a_clear_shortfall_counts_as_ending_early() {
        assert!(output(5.0, 2.4).ended_early(), "half of a short file");
        assert!(output(600.0, 500.0).ended_early(), "100 s of 10 minutes");
        // Audio a little shorter than the container (encoder delay, video running on).
        assert!(!output(60.0, 59.2).ended_early());
        assert!(!output(600.0, 590.0).ended_early());
        assert!(!output(0.0, 3.0).ended_early(), "nothing was expected");
    }
}
