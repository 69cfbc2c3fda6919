//! ffprobe's view of a file, and the decision of what the file is.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use serde::Deserialize;
use tokio::io::AsyncReadExt;
use v2a_protocol::text::{self, Key, Said};
use v2a_protocol::AudioStream;

use super::detect::{sniff, Sniffed, HEAD_LEN};
use super::run::run_ffmpeg;
use super::{file_arg, tool_error, MediaError, Probed, Tools};

/// ffprobe reads headers only; a minute means it is stuck on a pathological file.
const PROBE_TIMEOUT: Duration = Duration::from_secs(60);

/// The part of `ffprobe -print_format json -show_format -show_streams` we read.
#[derive(Debug, Default, Deserialize)]
pub struct FfprobeReport {
    #[serde(default)]
    pub streams: Vec<FfprobeStream>,
    #[serde(default)]
    pub format: Option<FfprobeFormat>,
}

/// One stream of an ffprobe report.
#[derive(Debug, Default, Deserialize)]
pub struct FfprobeStream {
    #[serde(default)]
    pub codec_type: Option<String>,
    #[serde(default)]
    pub codec_name: Option<String>,
    #[serde(default)]
    pub channels: Option<u32>,
    #[serde(default)]
    pub sample_rate: Option<String>,
    #[serde(default)]
    pub bit_rate: Option<String>,
    #[serde(default)]
    pub duration: Option<String>,
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub tags: HashMap<String, String>,
    #[serde(default)]
    pub disposition: HashMap<String, i64>,
}

/// The container part of an ffprobe report.
#[derive(Debug, Default, Deserialize)]
pub struct FfprobeFormat {
    #[serde(default)]
    pub format_name: String,
    #[serde(default)]
    pub duration: Option<String>,
    #[serde(default)]
    pub tags: HashMap<String, String>,
}

impl FfprobeStream {
    fn is_audio(&self) -> bool {
        self.codec_type.as_deref() == Some("audio")
    }
    /// A real picture track, not cover art.
    fn is_video(&self) -> bool {
        self.codec_type.as_deref() == Some("video")
            && self.disposition.get("attached_pic").copied().unwrap_or(0) == 0
    }
}

impl FfprobeReport {
    /// The audio streams, numbered among themselves from 0 as `-map 0:a:N` counts them.
    pub fn audio_streams(&self) -> Vec<AudioStream> {
        self.streams
            .iter()
            .filter(|s| s.is_audio())
            .enumerate()
            .map(|(i, s)| AudioStream {
                index: u32::try_from(i).expect("fewer than 4 billion streams"),
                codec: s.codec_name.clone().unwrap_or_else(|| "unknown".into()),
                channels: s.channels.unwrap_or(0),
                sample_rate: s
                    .sample_rate
                    .as_deref()
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(0),
                language: tag(&s.tags, "language").filter(|l| !l.eq_ignore_ascii_case("und")),
                // Matroska keeps the bitrate in a statistics tag instead.
                bit_rate: s
                    .bit_rate
                    .as_deref()
                    .or_else(|| s.tags.get("BPS").map(String::as_str))
                    .and_then(|b| b.parse().ok()),
            })
            .collect()
    }

    /// True when a stream is a moving picture (cover art does not count).
    pub fn has_video(&self) -> bool {
        self.streams.iter().any(FfprobeStream::is_video)
    }

    /// The container's duration, else the longest stream's, in seconds.
    pub fn duration(&self) -> Option<f64> {
        let parse = |d: &Option<String>| d.as_deref().and_then(|d| d.parse::<f64>().ok());
        let of_format = self.format.as_ref().and_then(|f| parse(&f.duration));
        of_format
            .or_else(|| {
                self.streams
                    .iter()
                    .filter_map(|s| parse(&s.duration))
                    .reduce(f64::max)
            })
            .filter(|d| d.is_finite() && *d > 0.0)
    }

    /// The playable length: [`Self::duration`] less the first audio stream's positive start
    /// time, which for MP3 is the encoder delay that players skip.
    pub fn audio_duration(&self) -> Option<f64> {
        let start = self
            .streams
            .iter()
            .find(|s| s.is_audio())
            .and_then(|s| s.start_time.as_deref())
            .and_then(|t| t.parse::<f64>().ok())
            .filter(|t| t.is_finite() && *t > 0.0)
            .unwrap_or(0.0);
        self.duration().map(|d| d - start).filter(|d| *d > 0.0)
    }

    /// A global tag (case-insensitive key), or the first audio stream's (Ogg keeps tags there).
    pub fn tag(&self, key: &str) -> Option<String> {
        self.format
            .as_ref()
            .and_then(|f| tag(&f.tags, key))
            .or_else(|| {
                self.streams
                    .iter()
                    .filter(|s| s.is_audio())
                    .find_map(|s| tag(&s.tags, key))
            })
    }
}

fn tag(tags: &HashMap<String, String>, key: &str) -> Option<String> {
    tags.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.clone())
}

/// Run ffprobe on `path` and parse its JSON report.
pub async fn run_ffprobe(tools: &Tools, path: &Path) -> Result<FfprobeReport, MediaError> {
    let mut child = super::process::command(&tools.ffprobe)
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
        ])
        .arg(file_arg(path))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| tool_error(&tools.ffprobe, "ffprobe", "--ffprobe", &e))?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let work = async {
        // The JSON of a file with thousands of streams is still small; the cap is a seatbelt.
        let mut json = Vec::new();
        let mut err = Vec::new();
        // Past the caps the rest is drained unread, so ffprobe never blocks on a full pipe.
        let read_out = async {
            (&mut stdout).take(16 << 20).read_to_end(&mut json).await?;
            tokio::io::copy(&mut stdout, &mut tokio::io::sink()).await
        };
        let read_err = async {
            (&mut stderr).take(64 << 10).read_to_end(&mut err).await?;
            tokio::io::copy(&mut stderr, &mut tokio::io::sink()).await
        };
        let (out, errs) = tokio::join!(read_out, read_err);
        out?;
        errs?;
        let status = child.wait().await?;
        Ok::<_, std::io::Error>((status, json, err))
    };
    let (status, json, err) = tokio::time::timeout(PROBE_TIMEOUT, work)
        .await
        .map_err(|_| MediaError::failed(Key::MediaProbeTimedOut, &[]))??;
    if !status.success() {
        let last = err
            .split(|&b| b == b'\n' || b == b'\r')
            .map(super::process::printable)
            .rfind(|l| !l.trim().is_empty())
            .unwrap_or_else(|| "no message".into());
        return Err(MediaError::failed(
            Key::MediaProbeFailed,
            &[("detail", last.trim())],
        ));
    }
    serde_json::from_slice(&json)
        .map_err(|e| MediaError::failed(Key::MediaProbeUnreadable, &[("detail", &e.to_string())]))
}

/// Read the first bytes of a file for [`sniff`].
async fn read_head(path: &Path) -> Result<Vec<u8>, MediaError> {
    let file = tokio::fs::File::open(path).await?;
    let mut head = Vec::with_capacity(HEAD_LEN);
    file.take(HEAD_LEN as u64).read_to_end(&mut head).await?;
    Ok(head)
}

/// Probe an upload: magic bytes first (refusing images and documents without running
/// ffprobe), then ffprobe, then the two must agree.
pub async fn probe(tools: &Tools, path: &Path) -> Result<Probed, MediaError> {
    let sniffed = sniff(&read_head(path).await?);
    refuse_early(&sniffed)?;
    let report = match run_ffprobe(tools, path).await {
        Ok(report) => report,
        Err(MediaError::Failed(_)) => return Err(damaged(&sniffed)),
        Err(e) => return Err(e),
    };
    let mut probed = decide(&sniffed, &report)?;
    if probed.duration <= 0.0 && !probed.audio_streams.is_empty() {
        probed.duration = measure_duration(tools, path).await?;
    }
    Ok(probed)
}

/// The length of the first audio stream found by reading it through (packets copied, not
/// decoded): for files whose header has no duration, such as browser recordings.
async fn measure_duration(tools: &Tools, path: &Path) -> Result<f64, MediaError> {
    let args = super::args::read_through_args(path, "error", &["-c", "copy"]);
    let ran = run_ffmpeg(tools, &args, 0.0, &|_| {}).await?;
    Ok(ran.out_time)
}

/// Images, documents and unknown bytes are refused from the magic bytes alone.
pub fn refuse_early(sniffed: &Sniffed) -> Result<(), MediaError> {
    match sniffed {
        Sniffed::Image(kind) => Err(MediaError::Unsupported(
            Said::new(Key::NoSound, &[("kind", kind)]).with("accepted", text::accepted_said()),
        )),
        Sniffed::Other(what) => Err(MediaError::Unsupported(
            Said::new(Key::MediaNotMedia, &[])
                .with("what", Said::new(*what, &[]))
                .with("accepted", text::accepted_said()),
        )),
        Sniffed::Unknown => Err(MediaError::Unsupported(
            Said::new(Key::UnsupportedType, &[]).with("accepted", text::accepted_said()),
        )),
        _ => Ok(()),
    }
}

/// The refusal for a file whose header looks right but that ffprobe cannot read.
fn damaged(sniffed: &Sniffed) -> MediaError {
    let kind = match sniffed {
        Sniffed::IsoMedia { .. } => "MP4/MOV",
        Sniffed::Ebml { .. } => "WebM/MKV",
        Sniffed::Avi => "AVI",
        Sniffed::Wav => "WAV",
        Sniffed::Mp3 => "MP3",
        Sniffed::Adts => "AAC",
        _ => "media",
    };
    MediaError::Unsupported(Said::new(Key::MediaDamaged, &[("kind", kind)]))
}

/// Decide the container from the magic bytes and ffprobe's report, and build [`Probed`].
pub fn decide(sniffed: &Sniffed, report: &FfprobeReport) -> Result<Probed, MediaError> {
    refuse_early(sniffed)?;
    let format_name = report
        .format
        .as_ref()
        .map(|f| f.format_name.as_str())
        .unwrap_or("");
    let says = |name: &str| format_name.split(',').any(|n| n == name);
    let has_video = report.has_video();
    let container = match sniffed {
        Sniffed::IsoMedia { brand } if says("mov") || says("mp4") => match brand.as_deref() {
            None | Some("qt  ") => "mov",
            Some("M4A " | "M4B " | "M4P ") => "m4a",
            _ if has_video => "mp4",
            _ => "m4a",
        },
        Sniffed::Ebml { doctype } if says("matroska") || says("webm") => match doctype.as_deref() {
            Some("webm") => "webm",
            _ => "mkv",
        },
        Sniffed::Avi if says("avi") => "avi",
        Sniffed::Wav if says("wav") => "wav",
        Sniffed::Mp3 | Sniffed::Adts if says("mp3") => "mp3",
        Sniffed::Mp3 | Sniffed::Adts if says("aac") => "aac",
        _ => return Err(damaged(sniffed)),
    };
    let audio_streams = report.audio_streams();
    if audio_streams.is_empty() && !has_video {
        return Err(damaged(sniffed));
    }
    Ok(Probed {
        container: container.into(),
        duration: report.duration().unwrap_or(0.0),
        audio_streams,
        has_video,
    })
}

#[cfg(test)]
#[path = "probe_tests.rs"]
mod tests;
