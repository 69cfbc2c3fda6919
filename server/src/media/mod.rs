//! ffmpeg and ffprobe behind plain async functions that return `Result`, kept out of handlers.
//!
//! INTERFACE CONTRACT (the API side codes against exactly these signatures).

use std::path::{Path, PathBuf};

use video_to_audio::protocol::AudioStream;
use video_to_audio::wording::ExtractionSpec;

/// Where the tools are.
#[derive(Debug, Clone)]
pub struct Tools {
    pub ffmpeg: PathBuf,
    pub ffprobe: PathBuf,
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
    /// Codec actually written, from ffprobe of the output.
    pub codec: String,
    pub duration: f64,
    pub size: u64,
}

/// Every way media work fails; each message is one sentence a person understands.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// 4001: not a type we take (images, documents, unknown); the text says why.
    #[error("{0}")]
    Unsupported(String),
    #[error("This file has no audio track, so there is nothing to extract.")]
    NoAudio,
    #[error("{0}")]
    NoSuchTrack(String),
    #[error("{0}")]
    EmptyRange(String),
    /// ffmpeg failed; one sentence, never the whole log.
    #[error("{0}")]
    Failed(String),
    #[error("ffmpeg or ffprobe could not be run: {0}")]
    Tool(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl Tools {
    /// Run `ffmpeg -version` and `ffprobe -version`; the first line of ffmpeg's, on success.
    pub async fn check(&self) -> Result<String, MediaError> {
        todo!("media helper")
    }
}

/// Probe an upload, deciding its type from the content, not the name.
pub async fn probe(_tools: &Tools, _path: &Path) -> Result<Probed, MediaError> {
    todo!("media helper")
}

/// Extract audio from `input` as `spec` says, writing `<out_stem>.<ext>` (never a partial file:
/// a temporary name is renamed at the end and removed on failure). `progress(fraction, stage)`
/// is called as ffmpeg reports `out_time_us`. Dropping the future kills ffmpeg.
pub async fn extract(
    _tools: &Tools,
    _input: &Path,
    _probed: &Probed,
    _spec: &ExtractionSpec,
    _out_stem: &Path,
    _progress: &(dyn Fn(f64, &'static str) + Send + Sync),
) -> Result<Output, MediaError> {
    todo!("media helper")
}
