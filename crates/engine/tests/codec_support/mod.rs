//! Helpers for the re-encode tests: inputs made with ffmpeg, their packets read with small
//! elementary-stream parsers (ADTS, MP3 frames, WAV) or symphonia's readers (FLAC, Ogg) until
//! the engine's own demuxers are used, and outputs checked with ffprobe/ffmpeg.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use symphonia_core::codecs::CodecParameters;
use symphonia_core::formats::{FormatOptions, FormatReader};
use symphonia_core::io::MediaSourceStream;
use v2a_engine::codec::transcode::Transcoder;
use v2a_engine::{AudioTrack, Codec, EngineError, Packet, VecSink};
use v2a_protocol::ExtractionSpec;

/// The copy tests' helpers; the job's run to the end is shared from there.
#[path = "../common/media.rs"]
pub mod media;
#[allow(unused_imports)] // each test binary uses a different part
pub use media::{run_to_end, H264_FAST};

/// A temporary directory removed on drop.
pub struct Dir(pub PathBuf);

impl Dir {
    pub fn new(name: &str) -> Self {
        let p = std::env::temp_dir().join(format!("v2a-codec-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `command` to its end; its standard output, or a panic with its stderr on failure.
fn stdout_of(command: &mut Command) -> Vec<u8> {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs ffmpeg quietly with `args`; panics with its stderr on failure.
pub fn ffmpeg(args: &[&str]) {
    stdout_of(
        Command::new("ffmpeg")
            .args(["-nostdin", "-hide_banner", "-v", "error", "-y"])
            .args(args),
    );
}

/// Writes an MP4 of `seconds`: a small H.264 picture and, from the lavfi source `audio`, stereo
/// AAC with `aac_options`.
pub fn mp4_with_sound(out: &Path, seconds: u32, audio: &str, aac_options: &[&str]) {
    let picture = format!("testsrc=size=160x120:rate=15:duration={seconds}");
    let inputs = ["-f", "lavfi", "-i", &picture, "-f", "lavfi", "-i", audio];
    let sound = ["-c:a", "aac", "-ac", "2", "-shortest"];
    let out = out.to_str().expect("a UTF-8 path");
    ffmpeg(&[&inputs[..], H264_FAST, &sound, aac_options, &[out]].concat());
}

/// ffprobe's first audio stream of `path`, as JSON.
pub fn probe(path: &Path) -> serde_json::Value {
    let out = stdout_of(
        Command::new("ffprobe")
            .args(["-v", "error", "-select_streams", "a:0", "-count_packets"])
            .args(["-show_streams", "-show_format", "-of", "json"])
            .arg(path),
    );
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let mut stream = v["streams"][0].clone();
    stream["format"] = v["format"].clone();
    stream
}

pub fn num(v: &serde_json::Value) -> f64 {
    match v {
        serde_json::Value::String(s) => s.parse().unwrap(),
        v => v.as_f64().unwrap(),
    }
}

/// The decoded samples of `path` as ffmpeg sees them (mono mix at its own rate).
pub fn decode_mono(path: &Path) -> Vec<f32> {
    decode(path, &["-ac", "1"])
}

/// The decoded interleaved samples of `path`, with extra output options.
pub fn decode(path: &Path, opts: &[&str]) -> Vec<f32> {
    stdout_of(
        Command::new("ffmpeg")
            .args(["-nostdin", "-v", "error", "-i"])
            .arg(path)
            .args(opts)
            .args(["-f", "f32le", "-"]),
    )
    .chunks_exact(4)
    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    .collect()
}

/// The strongest frequency of `samples` between 50 Hz and 8 kHz, to 1 Hz (a Goertzel scan over
/// the middle second).
pub fn dominant_hz(samples: &[f32], rate: u32) -> f64 {
    let n = (rate as usize).min(samples.len());
    let start = (samples.len() - n) / 2;
    let x = &samples[start..start + n];
    let power = |f: f64| {
        let w = 2.0 * std::f64::consts::PI * f / f64::from(rate);
        let (mut s1, mut s2) = (0f64, 0f64);
        let c = 2.0 * w.cos();
        for &v in x {
            let s0 = f64::from(v) + c * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        s1 * s1 + s2 * s2 - c * s1 * s2
    };
    let coarse = (5..800)
        .map(|k| f64::from(k) * 10.0)
        .max_by(|a, b| power(*a).total_cmp(&power(*b)))
        .unwrap();
    ((coarse - 10.0) as i64..=(coarse + 10.0) as i64)
        .map(|f| f as f64)
        .max_by(|a, b| power(*a).total_cmp(&power(*b)))
        .unwrap()
}

/// ffmpeg's ebur128 integrated loudness (LUFS) and true peak (dBTP) of `path`.
pub fn loudness(path: &Path) -> (f64, f64) {
    let out = Command::new("ffmpeg")
        .args(["-nostdin", "-hide_banner", "-v", "info", "-i"])
        .arg(path)
        .args([
            "-af",
            "ebur128=peak=true:framelog=verbose",
            "-f",
            "null",
            "-",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let summary = &err[err.rfind("Summary:").unwrap()..];
    let value = |label: &str, unit: &str| -> f64 {
        summary
            .lines()
            .find_map(|l| {
                let rest = l.trim().strip_prefix(label)?;
                rest.trim().strip_suffix(unit)?.trim().parse().ok()
            })
            .unwrap()
    };
    (value("I:", "LUFS"), value("Peak:", "dBFS"))
}

/// Little-endian 16-bit integer PCM, as in a WAV.
pub const PCM_S16LE: Codec = Codec::Pcm {
    bits: 16,
    float: false,
    big_endian: false,
};

/// A track as a demuxer would describe it.
pub fn track(codec: Codec, sample_rate: u32, channels: u16, private: Vec<u8>) -> AudioTrack {
    AudioTrack {
        index: 0,
        codec,
        sample_rate,
        channels,
        language: None,
        codec_private: private,
        timescale: sample_rate,
        duration: None,
        bit_rate: None,
        priming: 0,
    }
}

/// The frames of an ADTS stream, each a packet (`duration` 1024 samples).
pub fn adts_packets(bytes: &[u8]) -> Vec<Packet> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos + 7 <= bytes.len() {
        assert_eq!(bytes[pos], 0xff, "ADTS sync");
        let len = (usize::from(bytes[pos + 3] & 3) << 11)
            | (usize::from(bytes[pos + 4]) << 3)
            | usize::from(bytes[pos + 5] >> 5);
        let pts = out.len() as i64 * 1024;
        out.push(Packet {
            data: bytes[pos..pos + len].to_vec(),
            pts,
            duration: 1024,
        });
        pos += len;
    }
    out
}

/// The MPEG-1 Layer III frames of an MP3 file, the Info/Xing frame left out, and the LAME
/// tag's encoder delay plus the decoder's 529 samples (what ffmpeg skips).
pub fn mp3_packets(bytes: &[u8]) -> (Vec<Packet>, u32) {
    const RATES: [u32; 3] = [44_100, 48_000, 32_000];
    const KBPS: [u32; 15] = [
        0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
    ];
    let mut pos = 0;
    if bytes.starts_with(b"ID3") {
        let size = bytes[6..10]
            .iter()
            .fold(0usize, |a, b| (a << 7) | usize::from(*b));
        pos = 10 + size;
    }
    let mut out = Vec::new();
    let mut priming = 0;
    while pos + 4 <= bytes.len() {
        let h = &bytes[pos..pos + 4];
        assert!(h[0] == 0xff && h[1] & 0xe0 == 0xe0, "MP3 sync at {pos}");
        let kbps = KBPS[usize::from(h[2] >> 4)];
        let rate = RATES[usize::from((h[2] >> 2) & 3)];
        let padding = usize::from((h[2] >> 1) & 1);
        let len = (144 * kbps * 1000 / rate) as usize + padding;
        let frame = &bytes[pos..(pos + len).min(bytes.len())];
        let tag = frame
            .windows(4)
            .take(64)
            .position(|w| w == b"Info" || w == b"Xing");
        match tag {
            Some(at) if out.is_empty() => {
                // LAME extension: delay is 12 bits at byte 141 after the tag's start.
                let d = &frame[at + 141..at + 144];
                priming = ((u32::from(d[0]) << 4) | u32::from(d[1] >> 4)) + 529;
            }
            _ => out.push(Packet {
                data: frame.to_vec(),
                pts: out.len() as i64 * 1152,
                duration: 1152,
            }),
        }
        pos += len;
    }
    (out, priming)
}

/// The data chunk of a WAV file in packets of 4096 frames.
pub fn wav_packets(bytes: &[u8], block_align: usize) -> Vec<Packet> {
    let at = bytes.windows(4).position(|w| w == b"data").unwrap();
    let data = &bytes[at + 8..];
    data.chunks(4096 * block_align)
        .enumerate()
        .map(|(i, c)| Packet {
            data: c.to_vec(),
            pts: i as i64 * 4096,
            duration: (c.len() / block_align) as u32,
        })
        .collect()
}

/// The track and packets of an Ogg (Vorbis/Opus) or FLAC file, read with symphonia.
pub fn symphonia_packets(path: &Path, codec: Codec) -> (AudioTrack, Vec<Packet>) {
    let file = std::fs::File::open(path).unwrap();
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    let mut reader: Box<dyn FormatReader> = match codec {
        Codec::Flac => Box::new(
            symphonia_bundle_flac::FlacReader::try_new(mss, FormatOptions::default()).unwrap(),
        ),
        _ => Box::new(
            symphonia_format_ogg::OggReader::try_new(mss, FormatOptions::default()).unwrap(),
        ),
    };
    let t = reader.tracks()[0].clone();
    let Some(CodecParameters::Audio(params)) = &t.codec_params else {
        panic!("no audio")
    };
    let rate = params.sample_rate.unwrap();
    let channels = params.channels.as_ref().unwrap().count() as u16;
    let private = params.extra_data.as_deref().unwrap_or_default().to_vec();
    let mut tr = track(codec, rate, channels, private);
    tr.timescale = t.time_base.map_or(rate, |tb| tb.denom.get());
    tr.priming = t.delay.unwrap_or(0);
    let mut packets = Vec::new();
    while let Ok(Some(p)) = reader.next_packet() {
        packets.push(Packet {
            data: p.data.to_vec(),
            pts: p.pts.get(),
            duration: p.dur.get() as u32,
        });
    }
    (tr, packets)
}

/// Runs a transcoder over `packets` (after as many measuring passes as it asks), into `out`.
pub fn transcode(
    track: &AudioTrack,
    packets: &[Packet],
    spec: &ExtractionSpec,
    range: Option<(f64, f64)>,
    out: &Path,
) -> Result<f64, EngineError> {
    let mut t = Transcoder::new(track, spec, range)?;
    while t.needs_measure_pass() {
        for p in packets {
            t.measure(p)?;
        }
        t.end_measure_pass()?;
    }
    let mut sink = VecSink::default();
    for p in packets {
        t.push(p, &mut sink)?;
    }
    let seconds = t.finish(&mut sink)?;
    std::fs::write(out, &sink.0).unwrap();
    Ok(seconds)
}

/// (SNR, segmental SNR) in dB of `decoded` against `source` (interleaved stereo), after
/// finding the decoder's delay (an encoder without a gapless tag starts late).
pub fn snr(source: &[f32], decoded: &[f32], rate: u32) -> (f64, f64) {
    let mono = |x: &[f32], i: usize| f64::from(x[2 * i] + x[2 * i + 1]);
    let frames = source.len().min(decoded.len()) / 2;
    let window = rate as usize;
    let lag = (0..2400usize)
        .max_by(|&a, &b| {
            let c = |lag: usize| {
                (rate as usize / 2..rate as usize / 2 + window)
                    .filter(|i| i + lag < frames)
                    .map(|i| mono(source, i) * mono(decoded, i + lag))
                    .sum::<f64>()
            };
            c(a).total_cmp(&c(b))
        })
        .unwrap();
    let edge = rate as usize / 10;
    let (mut sig, mut err) = (0f64, 0f64);
    let mut seg = Vec::new();
    let frame = (rate / 50) as usize;
    let (mut fs, mut fe) = (0f64, 0f64);
    for i in edge..frames.saturating_sub(lag + edge) {
        for c in 0..2 {
            let s = f64::from(source[2 * i + c]);
            let e = s - f64::from(decoded[2 * (i + lag) + c]);
            sig += s * s;
            err += e * e;
            fs += s * s;
            fe += e * e;
        }
        if (i - edge + 1) % frame == 0 {
            if fs > 1e-6 {
                seg.push((10.0 * (fs / fe.max(1e-12)).log10()).clamp(-10.0, 35.0));
            }
            fs = 0.0;
            fe = 0.0;
        }
    }
    let segmental = seg.iter().sum::<f64>() / seg.len().max(1) as f64;
    (10.0 * (sig / err).log10(), segmental)
}

/// Realistic sound for an encoder's measurement: espeak-ng speech over pink noise and a chord,
/// stereo, 44.1 kHz 16-bit WAV, `seconds` long (the speech repeats).
pub fn realistic_source(dir: &Dir, seconds: u32) -> PathBuf {
    let speech = dir.path("speech.wav");
    let out = Command::new("espeak-ng")
        .args(["-s", "150", "-w"])
        .arg(&speech)
        .arg("The quick brown fox jumps over the lazy dog while the radio plays a soft chord.")
        .output()
        .expect("espeak-ng (build.sh installs it)");
    assert!(out.status.success());
    let source = dir.path("source.wav");
    let d = seconds;
    let filter = format!(
        "[0:a]aresample=44100,apad,atrim=0:5,aloop=loop=-1:size=220500,atrim=0:{d},\
         pan=stereo|c0=c0|c1=c0[s];\
         anoisesrc=c=pink:a=0.03:r=44100:d={d},pan=stereo|c0=c0|c1=c0[n];\
         sine=f=220:r=44100:d={d}[a];sine=f=277.18:r=44100:d={d}[b];\
         sine=f=329.63:r=44100:d={d}[c];\
         [a][b][c]amix=inputs=3,volume=0.4,pan=stereo|c0=c0|c1=0.6*c0[chord];\
         [s][n][chord]amix=inputs=3:normalize=0,volume=0.8[out]"
    );
    ffmpeg(&[
        "-i",
        speech.to_str().unwrap(),
        "-filter_complex",
        &filter,
        "-map",
        "[out]",
        "-c:a",
        "pcm_s16le",
        source.to_str().unwrap(),
    ]);
    source
}
