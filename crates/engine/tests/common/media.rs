//! Test media made with the real ffmpeg, and independent checks of the engine's outputs with
//! ffprobe/ffmpeg: codec, duration, the tone's frequency, packets compared with the source's.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use v2a_engine::job::{Job, Opened, Outcome, Progress, Step};
use v2a_engine::{EngineError, Source, VecSink};
use v2a_protocol::ExtractionSpec;

/// A temporary directory of generated media.
pub struct Corpus {
    dir: tempfile::TempDir,
}

impl Corpus {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("a temp dir"),
        }
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    /// Runs ffmpeg with `args` (inputs, options) writing `name`; returns its path.
    pub fn make(&self, name: &str, args: &[&str]) -> PathBuf {
        let out = self.path(name);
        let status = Command::new("ffmpeg")
            .args(["-y", "-hide_banner", "-loglevel", "error"])
            .args(args)
            .arg(&out)
            .status()
            .expect("ffmpeg runs");
        assert!(status.success(), "ffmpeg made {name}");
        out
    }
    /// Writes `bytes` as `name`.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let out = self.path(name);
        std::fs::write(&out, bytes).expect("write");
        out
    }
}

/// A small test picture for `seconds`.
pub fn video(seconds: u32) -> Vec<String> {
    vec![
        "-f".into(),
        "lavfi".into(),
        "-i".into(),
        format!("testsrc=size=160x90:rate=25:duration={seconds}"),
    ]
}

/// A sine of `hz` for `seconds`, at `rate` Hz with `channels`.
pub fn tone(hz: u32, seconds: u32, rate: u32, channels: u32) -> Vec<String> {
    let layout = match channels {
        1 => "mono",
        6 => "5.1",
        _ => "stereo",
    };
    vec![
        "-f".into(),
        "lavfi".into(),
        "-i".into(),
        format!("sine=frequency={hz}:duration={seconds}:sample_rate={rate},aformat=channel_layouts={layout}"),
    ]
}

/// Joins argument lists for [`Corpus::make`].
pub fn args(parts: &[&[String]], rest: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = parts.iter().flat_map(|p| p.iter().cloned()).collect();
    out.extend(rest.iter().map(|s| s.to_string()));
    out
}

/// H.264 at ffmpeg's fastest preset: a test input's video, made quickly.
pub const H264_FAST: &[&str] = &["-c:v", "libx264", "-preset", "ultrafast"];

/// VP8 at its fastest and smallest: a WebM's video, made quickly.
pub const VP8_FAST: &[&str] = &[
    "-c:v",
    "libvpx",
    "-b:v",
    "50k",
    "-deadline",
    "realtime",
    "-cpu-used",
    "8",
];

/// Runs the engine on `input` with the default spec and asserts it copied the packets: into a
/// `.ext` of `codec`, as long as ffmpeg's own copy within `tolerance`, holding the tone `hz`,
/// packet for packet the source's. The run and the output's path.
pub fn copy_checked(
    c: &Corpus,
    input: &Path,
    ext: &str,
    codec: &str,
    tolerance: f64,
    hz: f64,
) -> (Run, PathBuf) {
    let r = run(input, &ExtractionSpec::default());
    let name = input.file_name().expect("a file").to_string_lossy();
    assert!(r.outcome.copied, "{name} is copied");
    assert_eq!(r.outcome.extension, ext, "{name}");
    assert_eq!(r.outcome.size as usize, r.bytes.len(), "{name}");
    let out = c.write(&format!("{name}.{ext}"), &r.bytes);
    let seconds = reference_seconds(input, 0, &out);
    check_output(&out, codec, seconds, tolerance, hz);
    assert_eq!(
        packets(input, 0),
        packets(&out, 0),
        "{name}: packets are the source's"
    );
    (r, out)
}

/// What a run of the engine made.
pub struct Run {
    pub outcome: Outcome,
    pub bytes: Vec<u8>,
    pub last: Progress,
    pub steps: usize,
}

/// Opens `path` with `spec`: Ready or NeedsServer or an error.
pub fn open(path: &Path, spec: &ExtractionSpec) -> Result<Opened, EngineError> {
    let file = std::fs::File::open(path).expect("open input");
    Job::open(Box::new(file), spec)
}

/// Runs the engine on `path` to the end.
pub fn run(path: &Path, spec: &ExtractionSpec) -> Run {
    run_to_end(std::fs::File::open(path).expect("open input"), spec)
}

/// Opens `source` with `spec` and steps the job to its end into a [`VecSink`]; panics when
/// the engine sends the input to the server.
pub fn run_to_end(source: impl Source + 'static, spec: &ExtractionSpec) -> Run {
    let opened = Job::open(Box::new(source), spec).expect("the engine opens the input");
    let mut job = match opened {
        Opened::Ready(job) => job,
        Opened::NeedsServer(_, why) => panic!("needs the server: {why:?}"),
    };
    let mut sink = VecSink::default();
    let mut last = Progress::default();
    let mut steps = 0;
    loop {
        steps += 1;
        assert!(steps < 100_000, "the job ends");
        match job.step(&mut sink).expect("a step") {
            Step::Working(p) => {
                assert!(p.bytes_read >= last.bytes_read, "progress goes forward");
                last = p;
            }
            Step::Flush(_) => panic!("no host encoder here"),
            Step::Done(outcome) => {
                last = job.progress();
                return Run {
                    outcome,
                    bytes: sink.0,
                    last,
                    steps,
                };
            }
        }
    }
}

/// ffprobe's view of the first audio stream: (codec_name, duration seconds, channels, rate).
pub fn probe(path: &Path) -> (String, f64, u64, u64) {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "a:0", "-show_entries"])
        .args([
            "stream=codec_name,channels,sample_rate:format=duration",
            "-of",
            "json",
        ])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    assert!(out.status.success(), "ffprobe reads {}", path.display());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let s = &v["streams"][0];
    let num = |x: &serde_json::Value| -> f64 {
        x.as_str()
            .and_then(|s| s.parse().ok())
            .or(x.as_f64())
            .unwrap_or(-1.0)
    };
    (
        s["codec_name"].as_str().unwrap_or("").to_string(),
        num(&v["format"]["duration"]),
        s["channels"].as_u64().unwrap_or(0),
        num(&s["sample_rate"]) as u64,
    )
}

/// The audio packets of stream `a:index` of `path`, back to back, as ffmpeg demuxes them:
/// (their length, an FNV-1a hash of them).
pub fn packets(path: &Path, index: u32) -> (usize, u64) {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args([
            "-map",
            &format!("0:a:{index}"),
            "-c",
            "copy",
            "-f",
            "data",
            "-",
        ])
        .output()
        .expect("ffmpeg runs");
    assert!(out.status.success(), "ffmpeg demuxes {}", path.display());
    let hash = out.stdout.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    });
    (out.stdout.len(), hash)
}

/// The dominant frequency of the first channel of `path`'s sound, from its zero crossings
/// (the inputs are pure sines).
pub fn frequency(path: &Path) -> f64 {
    let rate = 48_000.0;
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args([
            "-map", "0:a:0", "-ac", "1", "-ar", "48000", "-f", "f32le", "-",
        ])
        .output()
        .expect("ffmpeg runs");
    assert!(out.status.success(), "ffmpeg decodes {}", path.display());
    let samples: Vec<f32> = out
        .stdout
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    // Skip the first and last 0.1 s (priming, fades).
    let skip = (rate * 0.1) as usize;
    let body = &samples[skip.min(samples.len())..samples.len().saturating_sub(skip)];
    let crossings = body
        .windows(2)
        .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
        .count();
    crossings as f64 / 2.0 / (body.len() as f64 / rate)
}

/// The length ffprobe gives ffmpeg's own copy of `input`'s track `a:index` into a file like
/// `out` (same extension): the reference a copy's length is held to.
pub fn reference_seconds(input: &Path, index: u32, out: &Path) -> f64 {
    let ext = out.extension().and_then(|e| e.to_str()).unwrap_or("mka");
    let reference = out.with_file_name(format!("reference.{ext}"));
    let status = Command::new("ffmpeg")
        .args(["-y", "-v", "error", "-i"])
        .arg(input)
        .args(["-map", &format!("0:a:{index}"), "-c", "copy"])
        .arg(&reference)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success(), "ffmpeg copies {}", input.display());
    probe(&reference).1
}

/// Asserts `out` is `codec`, lasts `seconds` within `tolerance`, and holds a tone of `hz`.
pub fn check_output(out: &Path, codec: &str, seconds: f64, tolerance: f64, hz: f64) {
    let (c, d, _, _) = probe(out);
    assert_eq!(c, codec, "codec of {}", out.display());
    assert!(
        (d - seconds).abs() <= tolerance,
        "{} lasts {d} s, expected {seconds} ± {tolerance}",
        out.display()
    );
    let f = frequency(out);
    assert!(
        (f - hz).abs() < hz * 0.01 + 2.0,
        "tone of {f} Hz, expected {hz}"
    );
}
