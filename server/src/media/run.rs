//! Running ffmpeg: progress from `-progress pipe:1`, a bounded tail of stderr, one-sentence
//! failures, and a temporary output file that never outlives a failure.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufRead, AsyncBufReadExt, BufReader};

use v2a_protocol::text::{Key, Said};

use super::process::{command, printable, Group};
use super::{tool_error, MediaError, Tools};

/// Lines of stderr kept (loudnorm's JSON report is 12 lines).
const STDERR_LINES: usize = 32;
/// Longest line kept from either pipe; the rest of a longer line is dropped.
const MAX_LINE: usize = 2048;
/// Seconds of silence allowed per second of media, within [`Stall`]'s floor and ceiling: a long
/// file can keep ffmpeg busy without a report (seeking, a filter's look-ahead) for longer.
const STALL_PER_MEDIA_SECOND: f64 = 0.1;
/// How long the rest of stderr is awaited once ffmpeg has exited (a grandchild may hold it).
const TAIL_GRACE: Duration = Duration::from_secs(2);
/// At most ten progress calls a second.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// How long ffmpeg may go without a progress report (it sends two a second) before it is
/// stopped: scaled to the media's length, never under `floor` nor over `ceiling`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stall {
    pub floor: Duration,
    pub ceiling: Duration,
}

impl Default for Stall {
    fn default() -> Self {
        Self {
            floor: Duration::from_secs(120),
            ceiling: Duration::from_secs(600),
        }
    }
}

impl Stall {
    /// The limit for a run over `media_secs` seconds of media (0 when unknown).
    pub fn limit(&self, media_secs: f64) -> Duration {
        let scaled = Duration::try_from_secs_f64(media_secs * STALL_PER_MEDIA_SECOND)
            .unwrap_or(Duration::ZERO);
        scaled.max(self.floor).min(self.ceiling)
    }
}

/// A file being written under a temporary name: removed when dropped unless kept.
#[derive(Debug)]
pub struct PartFile {
    path: PathBuf,
    keep: bool,
}

impl PartFile {
    /// Guard `path` (which need not exist yet).
    pub fn new(path: PathBuf) -> Self {
        Self { path, keep: false }
    }
    /// The temporary path.
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// Rename to `target` and stop guarding.
    pub async fn persist(mut self, target: &Path) -> std::io::Result<()> {
        tokio::fs::rename(&self.path, target).await?;
        self.keep = true;
        Ok(())
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        if !self.keep {
            // Usually the file exists; when ffmpeg failed before creating it there is nothing to do.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// What a successful ffmpeg run left behind.
#[derive(Debug, Clone, Default)]
pub struct Ran {
    /// The last lines of stderr.
    pub tail: Vec<String>,
    /// The last output time ffmpeg reported, seconds.
    pub out_time: f64,
}

/// Run ffmpeg with `args` (which must include `-progress pipe:1`). `expected` is the output
/// length in seconds; `progress` gets the fraction done (0..1), throttled. Dropping the future
/// kills ffmpeg.
pub async fn run_ffmpeg(
    tools: &Tools,
    args: &[OsString],
    expected: f64,
    progress: &(dyn Fn(f64) + Send + Sync),
) -> Result<Ran, MediaError> {
    let stall = tools.stall.limit(expected);
    let mut child = command(&tools.ffmpeg)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| tool_error(&tools.ffmpeg, "ffmpeg", "--ffmpeg", &e))?;
    let mut group = Group { pid: child.id() };
    let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let stderr = BufReader::new(child.stderr.take().expect("stderr is piped"));

    let tail = async move {
        let mut stderr = stderr;
        let mut ring: VecDeque<String> = VecDeque::with_capacity(STDERR_LINES);
        while let Ok(Some(line)) = next_line(&mut stderr).await {
            if ring.len() == STDERR_LINES {
                ring.pop_front();
            }
            ring.push_back(line);
        }
        Vec::from(ring)
    };
    let watch = async move {
        let mut stdout = stdout;
        let mut last_call: Option<Instant> = None;
        let mut out_time = 0.0f64;
        loop {
            let line = match tokio::time::timeout(stall, next_line(&mut stdout)).await {
                Err(_) => return Err(()),
                Ok(Ok(Some(line))) => line,
                Ok(_) => return Ok(out_time),
            };
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            // out_time_ms is microseconds too (an old ffmpeg naming slip).
            if key == "out_time_us" || key == "out_time_ms" {
                let Ok(us) = value.trim().parse::<i64>() else {
                    continue;
                };
                out_time = out_time.max(us as f64 / 1e6);
                if last_call.is_some_and(|t| t.elapsed() < PROGRESS_EVERY) || expected <= 0.0 {
                    continue;
                }
                last_call = Some(Instant::now());
                progress((us.max(0) as f64 / 1e6 / expected).clamp(0.0, 1.0));
            } else if key == "progress" && value.trim() == "end" {
                progress(1.0);
            }
        }
    };
    // stderr is read on its own task: a hung ffmpeg keeps it open, and the stall must be
    // acted on without waiting for it.
    let tail = tokio::spawn(tail);
    let stalled = || {
        MediaError::failed(
            Key::FfmpegStalled,
            &[("seconds", &stall.as_secs().to_string())],
        )
    };
    let watched = watch.await;
    let status = match watched {
        Ok(_) => tokio::time::timeout(stall, child.wait()).await.ok(),
        Err(()) => None,
    };
    let Some(status) = status else {
        group.kill();
        let _ = child.kill().await;
        tail.abort();
        return Err(stalled());
    };
    let status = status?;
    group.pid = None;
    let out_time = watched.unwrap_or(0.0);
    let tail = match tokio::time::timeout(TAIL_GRACE, tail).await {
        Ok(Ok(tail)) => tail,
        _ => Vec::new(),
    };
    if status.success() {
        Ok(Ran { tail, out_time })
    } else if status.code().is_none() {
        Err(MediaError::failed(Key::MediaStopped, &[]))
    } else {
        Err(MediaError::Failed(explain_failure(&tail)))
    }
}

/// One line from a pipe, splitting on `\n` or `\r`, at most [`MAX_LINE`] bytes, empty lines
/// skipped; `None` at the end.
async fn next_line<R: AsyncBufRead + Unpin>(r: &mut R) -> std::io::Result<Option<String>> {
    let mut line = Vec::new();
    loop {
        let buf = r.fill_buf().await?;
        if buf.is_empty() {
            return Ok((!line.is_empty()).then(|| printable(&line)));
        }
        let (chunk, consumed, done) = match buf.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(pos) => (&buf[..pos], pos + 1, true),
            None => (buf, buf.len(), false),
        };
        let room = MAX_LINE.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        r.consume(consumed);
        if done && !line.iter().all(u8::is_ascii_whitespace) {
            return Ok(Some(printable(&line)));
        }
        if done {
            line.clear();
        }
    }
}

/// One sentence for a person out of ffmpeg's last stderr lines.
pub fn explain_failure(tail: &[String]) -> Said {
    let has = |needle: &str| tail.iter().any(|l| l.to_ascii_lowercase().contains(needle));
    if has("no space left") {
        return Said::new(Key::MediaDiskFull, &[]);
    }
    if has("permission denied") || has("no such file or directory") {
        return Said::new(Key::MediaCannotWrite, &[]);
    }
    if has("unknown encoder") || has("encoder not found") {
        return Said::new(Key::MediaNoEncoder, &[]);
    }
    if has("invalid data found")
        || has("moov atom not found")
        || has("error while decoding")
        || has("corrupt")
        || has("header missing")
        || has("truncat")
    {
        return Said::new(Key::MediaUnreadableInput, &[]);
    }
    match tail
        .iter()
        .rev()
        .map(|l| strip_context(l))
        .find(|l| !l.is_empty())
    {
        Some(line) => {
            let short: String = line.chars().take(160).collect();
            Said::new(
                Key::MediaFfmpegSaid,
                &[("detail", short.trim_end_matches('.'))],
            )
        }
        None => Said::new(Key::MediaFfmpegFailed, &[]),
    }
}

/// Drop ffmpeg's "[component @ 0x…] " prefix.
fn strip_context(line: &str) -> &str {
    let line = line.trim();
    match (line.starts_with('['), line.find("] ")) {
        (true, Some(end)) => line[end + 2..].trim(),
        _ => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_become_one_sentence() {
        let tail = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
        assert_eq!(
            explain_failure(&tail(&[
                "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55] moov atom not found",
                "file:x.mp4: Invalid data found when processing input"
            ]))
            .key,
            Key::MediaUnreadableInput
        );
        assert_eq!(
            explain_failure(&tail(&[
                "av_interleaved_write_frame(): No space left on device"
            ]))
            .key,
            Key::MediaDiskFull
        );
        // ffmpeg's own words go into the sentence as they are, in either language.
        let other = explain_failure(&tail(&["[libmp3lame @ 0x1] something odd happened."]));
        assert_eq!(
            other,
            Said::new(
                Key::MediaFfmpegSaid,
                &[("detail", "something odd happened")]
            )
        );
        assert!(other
            .say(v2a_protocol::Lang::Zh)
            .contains("（something odd happened）"));
        assert_eq!(explain_failure(&[]).key, Key::MediaFfmpegFailed);
    }

    #[tokio::test]
    async fn lines_are_split_and_bounded() {
        let long = "x".repeat(MAX_LINE + 500);
        let data = format!("a=1\r\n\nb=2\r{long}\nlast");
        let mut reader = BufReader::new(data.as_bytes());
        let mut lines = Vec::new();
        while let Some(line) = next_line(&mut reader).await.expect("in-memory read") {
            lines.push(line);
        }
        assert_eq!(lines.len(), 4);
        assert_eq!(&lines[..2], ["a=1", "b=2"]);
        assert_eq!(lines[2].len(), MAX_LINE);
        assert_eq!(lines[3], "last");
    }

    #[test]
    fn the_stall_limit_grows_with_the_media_up_to_the_ceiling() {
        let stall = Stall::default();
        assert_eq!(stall.limit(0.0), stall.floor, "unknown length");
        assert_eq!(stall.limit(60.0), stall.floor, "a short clip");
        assert_eq!(stall.limit(3600.0), Duration::from_secs(360), "an hour");
        assert_eq!(stall.limit(86_400.0), stall.ceiling, "a day");
        assert_eq!(stall.limit(f64::NAN), stall.floor);
        assert_eq!(stall.limit(f64::INFINITY), stall.floor);
    }

    #[test]
    fn part_file_is_removed_unless_persisted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.mp3.part");
        std::fs::write(&path, b"partial").expect("write");
        drop(PartFile::new(path.clone()));
        assert!(!path.exists());
    }
}
