//! Test media made at test time with ffmpeg's lavfi sources, and checks on audio files that a
//! user would care about: what ffprobe says, which tone is in it, how loud it is.
//!
//! Every fixture is a few seconds long, carries a distinct sine tone (so a test can tell which
//! file and which track the output came from) and the title tag [`TITLE`]. Fixtures are made
//! once and kept under Cargo's per-target temporary directory, named by a hash of their
//! recipe, so a changed recipe makes a new file.

#![allow(dead_code)] // each test binary uses a different part

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Title tag written into every fixture.
pub const TITLE: &str = "V2A Fixture Title";
/// Length of every fixture, seconds.
pub const SECONDS: f64 = 3.0;

/// The test inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fixture {
    /// MP4: H.264 + AAC (440 Hz), 48 kHz stereo.
    Mp4H264Aac,
    /// MOV: H.264 + two AAC tracks, 440 Hz "eng" then 880 Hz "spa".
    MovTwoTracks,
    /// AVI: MPEG-4 video + MP3 (520 Hz), 44.1 kHz.
    AviMp3,
    /// AVI: MPEG-4 video + PCM s16le (660 Hz), 44.1 kHz.
    AviPcm,
    /// WebM: VP9 + Opus (330 Hz).
    WebmVp9Opus,
    /// MKV: H.264 + Vorbis (770 Hz).
    MkvVorbis,
    /// MKV: H.264 + FLAC (1000 Hz), 44.1 kHz.
    MkvFlac,
    /// MKV: H.264 + AC-3 (550 Hz): a codec with no audio-only container of its own.
    MkvAc3,
    /// MP4 with a picture and no sound.
    Mp4NoAudio,
    /// Audio-only uploads.
    Mp3Audio,
    WavAudio,
    M4aAudio,
    AacAdts,
    /// Pictures.
    Png,
    Jpg,
    /// MP4: H.264 + AAC whose tone steps each second: 300, 600, then 900 Hz (for time ranges).
    Mp4Steps,
    /// WebM (VP9 + Opus, 330 Hz) written live to a pipe, so it has no duration, as in a
    /// browser's MediaRecorder output.
    WebmStreamed,
    /// Two minutes of tone, for cancellation tests.
    LongWav,
}

impl Fixture {
    /// Videos with sound, one per accepted video container and audio codec.
    pub const VIDEOS: [Fixture; 8] = [
        Fixture::Mp4H264Aac,
        Fixture::MovTwoTracks,
        Fixture::AviMp3,
        Fixture::AviPcm,
        Fixture::WebmVp9Opus,
        Fixture::MkvVorbis,
        Fixture::MkvFlac,
        Fixture::MkvAc3,
    ];

    /// The tone of the first audio track, Hz.
    pub fn tone(self) -> f64 {
        match self {
            Fixture::Mp4H264Aac | Fixture::MovTwoTracks => 440.0,
            Fixture::AviMp3 => 520.0,
            Fixture::AviPcm => 660.0,
            Fixture::WebmVp9Opus | Fixture::WebmStreamed => 330.0,
            Fixture::MkvVorbis => 770.0,
            Fixture::MkvFlac => 1000.0,
            Fixture::MkvAc3 => 550.0,
            Fixture::Mp3Audio => 600.0,
            Fixture::WavAudio => 700.0,
            Fixture::M4aAudio => 750.0,
            Fixture::AacAdts => 800.0,
            Fixture::LongWav => 450.0,
            Fixture::Mp4Steps => 300.0,
            Fixture::Mp4NoAudio | Fixture::Png | Fixture::Jpg => 0.0,
        }
    }

    /// Sample rate of the first audio track.
    pub fn sample_rate(self) -> u32 {
        match self {
            Fixture::AviMp3 | Fixture::AviPcm | Fixture::MkvFlac | Fixture::Mp3Audio => 44_100,
            _ => 48_000,
        }
    }

    /// The audio codec of the first track, as ffprobe names it.
    pub fn codec(self) -> &'static str {
        match self {
            Fixture::Mp4H264Aac
            | Fixture::Mp4Steps
            | Fixture::MovTwoTracks
            | Fixture::M4aAudio
            | Fixture::AacAdts => "aac",
            Fixture::AviMp3 | Fixture::Mp3Audio => "mp3",
            Fixture::AviPcm | Fixture::WavAudio | Fixture::LongWav => "pcm_s16le",
            Fixture::WebmVp9Opus | Fixture::WebmStreamed => "opus",
            Fixture::MkvVorbis => "vorbis",
            Fixture::MkvFlac => "flac",
            Fixture::MkvAc3 => "ac3",
            Fixture::Mp4NoAudio | Fixture::Png | Fixture::Jpg => "",
        }
    }

    /// The container `probe` must report.
    pub fn container(self) -> &'static str {
        match self {
            Fixture::Mp4H264Aac | Fixture::Mp4NoAudio | Fixture::Mp4Steps => "mp4",
            Fixture::MovTwoTracks => "mov",
            Fixture::AviMp3 | Fixture::AviPcm => "avi",
            Fixture::WebmVp9Opus | Fixture::WebmStreamed => "webm",
            Fixture::MkvVorbis | Fixture::MkvFlac | Fixture::MkvAc3 => "mkv",
            Fixture::Mp3Audio => "mp3",
            Fixture::WavAudio | Fixture::LongWav => "wav",
            Fixture::M4aAudio => "m4a",
            Fixture::AacAdts => "aac",
            Fixture::Png => "png",
            Fixture::Jpg => "jpg",
        }
    }

    fn recipe(self) -> Vec<String> {
        let video = "testsrc2=size=160x120:rate=10";
        let tone = |f: f64, rate: u32| format!("sine=frequency={f}:sample_rate={rate}");
        let t = SECONDS.to_string();
        let mut a: Vec<String> = Vec::new();
        let mut input =
            |spec: &str| a.extend(["-f".into(), "lavfi".into(), "-i".into(), spec.to_string()]);
        let (f, r) = (self.tone(), self.sample_rate());
        match self {
            Fixture::MovTwoTracks => {
                input(video);
                input(&tone(440.0, r));
                input(&tone(880.0, r));
            }
            Fixture::Mp4NoAudio => input(video),
            Fixture::Mp4Steps => {
                input(video);
                input(&format!(
                    "aevalsrc=0.2*sin(2*PI*(300+300*floor(t))*t):s={r}:d={t}"
                ));
            }
            Fixture::Png | Fixture::Jpg => input("testsrc2=size=64x48:rate=1"),
            Fixture::Mp3Audio
            | Fixture::WavAudio
            | Fixture::M4aAudio
            | Fixture::AacAdts
            | Fixture::LongWav => input(&tone(f, r)),
            _ => {
                input(video);
                input(&tone(f, r));
            }
        }
        let mut out = |items: &[&str]| a.extend(items.iter().map(|s| s.to_string()));
        let x264: &[&str] = &[
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
        ];
        // VP9 at its fastest, Opus stereo: a WebM made quickly.
        let vp9_opus: &[&str] = &[
            "-c:v",
            "libvpx-vp9",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
            "-b:v",
            "100k",
            "-c:a",
            "libopus",
            "-ac",
            "2",
        ];
        match self {
            Fixture::Png | Fixture::Jpg => {
                out(&["-frames:v", "1"]);
                return a;
            }
            Fixture::LongWav => out(&["-t", "120", "-c:a", "pcm_s16le"]),
            _ => out(&["-t", &t, "-metadata", &format!("title={TITLE}")]),
        }
        match self {
            Fixture::Mp4H264Aac | Fixture::Mp4Steps => {
                out(&[x264, &["-c:a", "aac", "-b:a", "128k", "-ac", "2"]].concat())
            }
            Fixture::MovTwoTracks => out(&[
                &["-map", "0:v", "-map", "1:a", "-map", "2:a"],
                x264,
                &[
                    "-c:a",
                    "aac",
                    "-ac",
                    "2",
                    "-metadata:s:a:0",
                    "language=eng",
                    "-metadata:s:a:1",
                    "language=spa",
                ],
            ]
            .concat()),
            Fixture::AviMp3 => out(&["-c:v", "mpeg4", "-c:a", "libmp3lame", "-ac", "2"]),
            Fixture::AviPcm => out(&["-c:v", "mpeg4", "-c:a", "pcm_s16le", "-ac", "2"]),
            Fixture::WebmStreamed => out(&[
                vp9_opus,
                // Live mode to a pipe: unknown-size clusters and no duration anywhere.
                &["-f", "webm", "-live", "1", "-"],
            ]
            .concat()),
            Fixture::WebmVp9Opus => out(vp9_opus),
            Fixture::MkvVorbis => out(&[x264, &["-c:a", "libvorbis", "-ac", "2"]].concat()),
            Fixture::MkvFlac => out(&[x264, &["-c:a", "flac", "-ac", "2"]].concat()),
            Fixture::MkvAc3 => out(&[x264, &["-c:a", "ac3", "-ac", "2"]].concat()),
            Fixture::Mp4NoAudio => out(x264),
            Fixture::Mp3Audio => out(&["-c:a", "libmp3lame", "-ac", "2"]),
            Fixture::WavAudio => out(&["-c:a", "pcm_s16le", "-ac", "2"]),
            Fixture::M4aAudio => out(&["-c:a", "aac", "-ac", "2"]),
            Fixture::AacAdts => out(&["-c:a", "aac", "-ac", "2", "-f", "adts"]),
            Fixture::LongWav | Fixture::Png | Fixture::Jpg => {}
        }
        a
    }
}

/// The fixture's path, generating it on first use (once per recipe, shared by test binaries).
pub fn fixture(which: Fixture) -> PathBuf {
    const COUNT: usize = Fixture::LongWav as usize + 1;
    static CELLS: [OnceLock<PathBuf>; COUNT] = [const { OnceLock::new() }; COUNT];
    CELLS[which as usize]
        .get_or_init(|| {
            let recipe = which.recipe();
            let mut hasher = DefaultHasher::new();
            recipe.hash(&mut hasher);
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("media-fixtures");
            std::fs::create_dir_all(&dir).expect("create the fixture directory");
            let ext = which.container();
            let path = dir.join(format!("{which:?}-{:016x}.{ext}", hasher.finish()));
            if !path.exists() {
                // Another test binary may be making the same file: write aside, then rename.
                let tmp = dir.join(format!("{which:?}-{}.tmp.{ext}", std::process::id()));
                let mut args = vec![
                    "-nostdin".to_string(),
                    "-v".into(),
                    "error".into(),
                    "-y".into(),
                ];
                args.extend(recipe);
                if args.last().is_some_and(|a| a == "-") {
                    std::fs::write(&tmp, run_ffmpeg(&args)).expect("write the piped fixture");
                } else {
                    args.push(tmp.to_string_lossy().into_owned());
                    run_ffmpeg(&args);
                }
                std::fs::rename(&tmp, &path).expect("move the fixture into place");
            }
            path
        })
        .clone()
}

/// Run ffmpeg, panicking with its stderr on failure; returns stdout.
pub fn run_ffmpeg(args: &[String]) -> Vec<u8> {
    let out = Command::new("ffmpeg")
        .args(args)
        .output()
        .expect("ffmpeg runs");
    assert!(
        out.status.success(),
        "ffmpeg {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn args(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// What ffprobe says about an audio file's first audio stream and its container.
#[derive(Debug, Clone)]
pub struct AudioFacts {
    pub format_name: String,
    pub codec: String,
    pub channels: u32,
    pub sample_rate: u32,
    pub duration: f64,
    /// Container bit rate, bit/s.
    pub bit_rate: Option<u64>,
    pub audio_streams: usize,
    pub video_streams: usize,
    /// Global and first-audio-stream tags, keys lower-cased.
    pub tags: Vec<(String, String)>,
}

impl AudioFacts {
    /// A tag by case-insensitive key.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k == &key.to_ascii_lowercase())
            .map(|(_, v)| v.as_str())
    }
}

/// ffprobe an audio file (independently of the code under test).
pub fn audio_facts(path: &Path) -> AudioFacts {
    let out = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_format",
            "-show_streams",
        ])
        .arg(path)
        .output()
        .expect("ffprobe runs");
    assert!(
        out.status.success(),
        "ffprobe {path:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("ffprobe JSON");
    let streams = v["streams"].as_array().cloned().unwrap_or_default();
    let kind = |s: &serde_json::Value, k: &str| s["codec_type"] == k;
    let audio = streams
        .iter()
        .find(|s| kind(s, "audio"))
        .unwrap_or_else(|| panic!("{path:?} has no audio stream"));
    let num = |x: &serde_json::Value| {
        x.as_str()
            .and_then(|s| s.parse::<f64>().ok())
            .or(x.as_f64())
    };
    let mut tags = Vec::new();
    for source in [&v["format"]["tags"], &audio["tags"]] {
        if let Some(map) = source.as_object() {
            for (k, val) in map {
                tags.push((
                    k.to_ascii_lowercase(),
                    val.as_str().unwrap_or_default().to_string(),
                ));
            }
        }
    }
    AudioFacts {
        format_name: v["format"]["format_name"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        codec: audio["codec_name"].as_str().unwrap_or_default().to_string(),
        channels: audio["channels"].as_u64().unwrap_or(0) as u32,
        sample_rate: num(&audio["sample_rate"]).unwrap_or(0.0) as u32,
        duration: num(&v["format"]["duration"])
            .or_else(|| num(&audio["duration"]))
            .unwrap_or(0.0),
        bit_rate: num(&v["format"]["bit_rate"]).map(|b| b as u64),
        audio_streams: streams.iter().filter(|s| kind(s, "audio")).count(),
        video_streams: streams.iter().filter(|s| kind(s, "video")).count(),
        tags,
    }
}

/// Rate at which audio is decoded for analysis; covers tones up to 8 kHz.
const ANALYSIS_RATE: u32 = 16_000;

/// Decode `seconds` of audio from `start` to mono samples at [`ANALYSIS_RATE`].
pub fn decode_mono(path: &Path, start: f64, seconds: f64) -> Vec<f32> {
    let pcm = run_ffmpeg(
        &[
            args(&["-nostdin", "-v", "error", "-i"]),
            vec![path.to_string_lossy().into_owned()],
            args(&[
                "-ss",
                &format!("{start:.3}"),
                "-t",
                &format!("{seconds:.3}"),
                "-vn",
                "-ac",
                "1",
            ]),
            args(&[
                "-ar",
                &ANALYSIS_RATE.to_string(),
                "-f",
                "s16le",
                "-acodec",
                "pcm_s16le",
                "-",
            ]),
        ]
        .concat(),
    );
    pcm.chunks_exact(2)
        .map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0)
        .collect()
}

/// Power of `frequency` in `samples` (Goertzel).
fn goertzel(samples: &[f32], frequency: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI * frequency / f64::from(ANALYSIS_RATE);
    let coeff = 2.0 * w.cos();
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for &x in samples {
        let s0 = f64::from(x) + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    s1 * s1 + s2 * s2 - coeff * s1 * s2
}

/// What a listener gets from a file: its decoded length and its strongest tone.
#[derive(Debug, Clone, Copy)]
pub struct Heard {
    /// Seconds of decoded audio (gapless information applied; ffprobe's container duration
    /// of an MP3 also counts the encoder's delay and padding).
    pub duration: f64,
    /// The strongest frequency between 100 and 4000 Hz (10 Hz steps) in a one-second window
    /// from the middle (or the whole file when shorter).
    pub tone: f64,
}

/// Decode the whole file once and measure it.
pub fn listen(path: &Path) -> Heard {
    let samples = decode_mono(path, 0.0, 24.0 * 3600.0);
    let rate = ANALYSIS_RATE as usize;
    let window = samples.len().min(rate);
    let from = (samples.len() - window) / 2;
    let samples_window = &samples[from..from + window];
    assert!(
        window > rate / 4,
        "{path:?}: only {} samples decoded",
        samples.len()
    );
    let peak = samples_window.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    assert!(peak > 0.01, "{path:?} is silent");
    let tone = (10..=400)
        .map(|step| f64::from(step) * 10.0)
        .map(|f| (f, goertzel(samples_window, f)))
        .fold(
            (0.0, f64::MIN),
            |best, (f, p)| if p > best.1 { (f, p) } else { best },
        )
        .0;
    Heard {
        duration: samples.len() as f64 / f64::from(ANALYSIS_RATE),
        tone,
    }
}

/// Assert the tone `heard` is `expected` Hz within ±15 Hz.
pub fn assert_heard_tone(path: &Path, heard: Heard, expected: f64) {
    assert!(
        (heard.tone - expected).abs() <= 15.0,
        "{path:?}: dominant tone {} Hz, expected {expected} Hz",
        heard.tone
    );
}

/// Assert the file's dominant tone is `expected` Hz within ±15 Hz.
pub fn assert_tone(path: &Path, expected: f64) {
    assert_heard_tone(path, listen(path), expected);
}

/// Decoded length in seconds (see [`Heard::duration`]).
pub fn decoded_duration(path: &Path) -> f64 {
    listen(path).duration
}

/// Integrated loudness (LUFS) measured by ffmpeg's ebur128 filter.
pub fn integrated_loudness(path: &Path) -> f64 {
    let out = Command::new("ffmpeg")
        .args(["-nostdin", "-hide_banner", "-nostats", "-i"])
        .arg(path)
        .args(["-vn", "-af", "ebur128", "-f", "null", "-"])
        .output()
        .expect("ffmpeg runs");
    assert!(
        out.status.success(),
        "ebur128 on {path:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = String::from_utf8_lossy(&out.stderr);
    // The summary at the end: "Integrated loudness:\n    I:         -16.0 LUFS".
    let summary = log
        .rsplit("Integrated loudness:")
        .next()
        .expect("ebur128 summary");
    summary
        .lines()
        .find_map(|l| l.trim().strip_prefix("I:"))
        .and_then(|v| v.trim().trim_end_matches("LUFS").trim().parse().ok())
        .unwrap_or_else(|| panic!("no integrated loudness in: {summary}"))
}

/// Write `bytes` to `dir/name`.
pub fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write a test file");
    path
}

/// Deterministic noise (xorshift), so a failure reproduces.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Copy the first `fraction` of a fixture's bytes to `dir/name`.
pub fn truncated_copy(which: Fixture, fraction: f64, dir: &Path, name: &str) -> PathBuf {
    let bytes = std::fs::read(fixture(which)).expect("read fixture");
    let keep = (bytes.len() as f64 * fraction) as usize;
    write_file(dir, name, &bytes[..keep])
}

/// Copy a fixture under another name (the type must come from the content, not the name).
pub fn renamed_copy(which: Fixture, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::copy(fixture(which), &path).expect("copy fixture");
    path
}

/// The files in `dir` (to check that nothing partial was left behind).
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Asserts a failed extraction left no file, partial or whole, in `dir`.
pub fn assert_left_nothing(dir: &Path) {
    let left = files_in(dir);
    assert!(left.is_empty(), "left behind: {left:?}");
}
