//! What an extraction will produce, decided before ffmpeg runs: the pure part of `extract`,
//! also used by the API to say "I will produce X".
//!
//! Format choices:
//! - Not said (`format: None`): copy the stream into its natural container (AAC → .m4a,
//!   ALAC → .m4a, MP3 → .mp3, Opus → .opus, Vorbis → .ogg, FLAC → .flac, little-endian PCM →
//!   .wav: `v2a_protocol::formats::natural`). When a change is asked (loudness, rate, channels, a
//!   quality), re-encode into that same family (ALAC: FLAC, so it stays lossless).
//!   Codecs without a natural audio container (AC-3, DTS, WMA…) become MP3.
//! - `Original`: the same, but a codec without a natural container is copied raw when it has a
//!   raw form people's players read (AC-3, E-AC-3, DTS, MP2) and otherwise re-encoded to FLAC,
//!   which keeps every decoded sample. Lossy re-encodes use the format's high setting.
//! - An explicit format: stream copy when the source already has that codec and nothing else is
//!   asked; otherwise re-encode with the quality mapping in [`rate_control`].
//!
//! Stream copy is cut at packet boundaries (a few tens of milliseconds); re-encodes are exact.

pub use v2a_protocol::formats::RateControl;
use v2a_protocol::formats::{self, natural, RAW_STREAMS};
use v2a_protocol::units;
use v2a_protocol::AudioStream;
use v2a_wording::{ExtractionSpec, Loudness, OutputFormat, Quality};

use super::select::{resolve_range, select_track};
use super::{MediaError, Probed};

/// How the audio is written.
#[derive(Debug, Clone, PartialEq)]
pub enum Encoding {
    /// Packets copied as they are.
    Copy,
    /// Decoded and re-encoded with an ffmpeg encoder.
    Encode {
        encoder: &'static str,
        rate: RateControl,
    },
}

/// The decided extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Index among the audio streams, from 0 (`-map 0:a:N`).
    pub track: u32,
    /// The chosen source stream.
    pub source: AudioStream,
    pub encoding: Encoding,
    /// Codec written, as ffprobe names it ("mp3", "aac", "pcm_s16le", "opus"…).
    pub codec: String,
    /// Output file extension without the dot.
    pub extension: &'static str,
    /// ffmpeg muxer (`-f`), needed because the file is written under a `.part` name.
    pub muxer: &'static str,
    /// Seconds into the source where the output starts.
    pub start: f64,
    /// Seconds into the source where the output ends.
    pub end: f64,
    /// The source's duration, to know whether the end is cut.
    pub source_duration: f64,
    /// `-ar`, when the rate changes or must be restated (after loudness filters).
    pub sample_rate: Option<u32>,
    /// `-ac`, when the channel count changes.
    pub channels: Option<u32>,
    pub loudness: Option<Loudness>,
}

impl Plan {
    /// Length of the output in seconds.
    pub fn duration(&self) -> f64 {
        self.end - self.start
    }
    /// True when the packets are copied without re-encoding.
    pub fn is_copy(&self) -> bool {
        self.encoding == Encoding::Copy
    }
    /// True when only part of the source is taken.
    pub fn is_trimmed(&self) -> bool {
        self.start > 0.0 || self.end < self.source_duration
    }
    /// A short description for people, e.g. "MP3, 192 kbps" or "M4A (AAC), copied without
    /// re-encoding".
    pub fn describe(&self) -> String {
        let name = formats::label_of_extension(self.extension);
        let how = match &self.encoding {
            Encoding::Copy => "copied without re-encoding".to_string(),
            Encoding::Encode {
                rate: RateControl::Bitrate(k),
                ..
            } => format!("{k} kbps"),
            Encoding::Encode {
                rate: RateControl::Quality(q),
                encoder,
            } if *encoder == "libmp3lame" => {
                format!("VBR quality {q}")
            }
            Encoding::Encode {
                rate: RateControl::Quality(q),
                ..
            } => format!("quality {q}"),
            Encoding::Encode {
                rate: RateControl::Lossless,
                ..
            } => "lossless".to_string(),
        };
        let mut parts = vec![name, how];
        if let Some(rate) = self.sample_rate.filter(|r| *r != self.source.sample_rate) {
            parts.push(format!("{} kHz", f64::from(rate) / 1000.0));
        }
        match self.channels {
            Some(1) => parts.push("mono".into()),
            Some(2) if self.source.channels != 2 => parts.push("stereo".into()),
            _ => {}
        }
        if self.loudness.is_some() {
            parts.push("loudness normalised".into());
        }
        if self.is_trimmed() {
            parts.push(format!("{}–{}", clock(self.start), clock(self.end)));
        }
        parts.join(", ")
    }
}

/// Seconds as m:ss (h:mm:ss past an hour), with tenths when not whole.
pub fn clock(seconds: f64) -> String {
    units::clock(units::to_ms(seconds, 100))
}

/// Codecs `Original` keeps as a raw stream: (extension, muxer).
fn raw_container(codec: &str) -> Option<(&'static str, &'static str)> {
    RAW_STREAMS
        .iter()
        .find(|r| r.0 == codec)
        .map(|r| (r.1, r.2))
}

/// (extension, muxer) of a concrete output format.
fn container(format: OutputFormat) -> (&'static str, &'static str) {
    let info = format.info().unwrap_or(&formats::FORMATS[0]);
    (info.extension(), info.muxer)
}

/// Encoder and rate control for re-encoding to `format` at `quality`: the table in
/// `v2a_protocol::formats` (`Original` never reaches here; it is resolved first, and would get
/// MP3's settings).
pub fn rate_control(format: OutputFormat, quality: Quality) -> (&'static str, RateControl) {
    format
        .rate_control(quality)
        .or_else(|| OutputFormat::Mp3.rate_control(quality))
        .unwrap_or(("libmp3lame", RateControl::Quality(2.0)))
}

/// The codec name ffprobe reports for what an encoder writes.
fn encoder_codec(encoder: &str) -> String {
    formats::FORMATS
        .iter()
        .find(|f| f.encoder == encoder)
        .map_or(encoder, |f| f.codec)
        .to_owned()
}

/// The PCM encoder for a little-endian PCM source codec.
fn wav_encoder(codec: &str) -> &'static str {
    match codec {
        "pcm_s24le" => "pcm_s24le",
        "pcm_s32le" => "pcm_s32le",
        "pcm_u8" => "pcm_u8",
        "pcm_f32le" => "pcm_f32le",
        "pcm_f64le" => "pcm_f64le",
        _ => "pcm_s16le",
    }
}

/// Sample rates libopus accepts.
const OPUS_RATES: [u32; 5] = [8_000, 12_000, 16_000, 24_000, 48_000];

/// Decide the extraction: which track, which range, which codec and container.
pub fn plan(probed: &Probed, spec: &ExtractionSpec) -> Result<Plan, MediaError> {
    let source = select_track(&probed.audio_streams, &spec.track)?.clone();
    let (start, end) = resolve_range(probed.duration, spec)?;

    let voice = spec.quality == Quality::Voice;
    let channels = spec
        .channels
        .or(voice.then_some(1))
        .filter(|c| *c != source.channels);
    let asked_rate = spec.sample_rate.filter(|r| *r != source.sample_rate);
    // A lossless source is cut by re-encoding losslessly: exact, where a copy would cut at
    // packets (FLAC's are 0.1 s) and lose nothing either way.
    let lossless =
        matches!(source.codec.as_str(), "flac" | "alac") || source.codec.starts_with("pcm_");
    let trimmed = start > 0.0 || end < probed.duration;
    let changes = channels.is_some()
        || asked_rate.is_some()
        || spec.loudness.is_some()
        || (lossless && trimmed);

    let original = spec.format == Some(OutputFormat::Original);
    let natural = natural(&source.codec);
    // (format, may copy, quality to use when re-encoding)
    let target = match spec.format {
        None | Some(OutputFormat::Original) => match natural {
            Some(n) => {
                let copy = n.copyable && !changes && (original || spec.quality == Quality::Default);
                let quality = if original && spec.quality == Quality::Default {
                    Quality::High
                } else {
                    spec.quality
                };
                Some((if copy { n.container } else { n.family }, copy, quality))
            }
            None if original => None,
            None => Some((OutputFormat::Mp3, false, spec.quality)),
        },
        Some(format) => {
            let same =
                natural.is_some_and(|n| n.copyable && n.container == format && n.family == format);
            let copy = same && !changes && spec.quality == Quality::Default;
            Some((format, copy, spec.quality))
        }
    };

    let (encoding, codec, extension, muxer) = match target {
        Some((format, true, _)) => {
            let (ext, mux) = container(format);
            (Encoding::Copy, source.codec.clone(), ext, mux)
        }
        Some((format, false, quality)) => {
            let (ext, mux) = container(format);
            let (mut encoder, rate) = rate_control(format, quality);
            if format == OutputFormat::Wav {
                encoder = match natural {
                    // Keep the sample format of little-endian PCM.
                    Some(n) if n.container == OutputFormat::Wav && n.copyable => {
                        wav_encoder(&source.codec)
                    }
                    _ if source.codec.contains("24") => "pcm_s24le",
                    _ => "pcm_s16le",
                };
            }
            (
                Encoding::Encode { encoder, rate },
                encoder_codec(encoder),
                ext,
                mux,
            )
        }
        // Original, and the codec has no natural audio container.
        None => match raw_container(&source.codec) {
            Some((ext, mux)) if !changes => (Encoding::Copy, source.codec.clone(), ext, mux),
            _ => {
                let (ext, mux) = container(OutputFormat::Flac);
                let encoding = Encoding::Encode {
                    encoder: "flac",
                    rate: RateControl::Lossless,
                };
                (encoding, "flac".to_string(), ext, mux)
            }
        },
    };

    let copy = encoding == Encoding::Copy;
    // With loudness filters the source's rate is restated on the output, so no filter in the
    // chain (ffmpeg's loudnorm would upsample to 192 kHz) can change it.
    let mut sample_rate = asked_rate
        .or(spec.loudness.map(|_| source.sample_rate))
        .filter(|r| *r > 0);
    let mut channels = channels;
    if !copy {
        match codec.as_str() {
            "opus" => {
                let wanted = sample_rate.unwrap_or(source.sample_rate);
                if !OPUS_RATES.contains(&wanted) {
                    sample_rate = Some(
                        OPUS_RATES
                            .into_iter()
                            .find(|r| *r >= wanted)
                            .unwrap_or(48_000),
                    );
                }
            }
            "mp3" => {
                if sample_rate.unwrap_or(source.sample_rate) > 48_000 {
                    sample_rate = Some(48_000);
                }
                if channels.unwrap_or(source.channels) > 2 {
                    channels = Some(2);
                }
            }
            _ => {}
        }
    }

    Ok(Plan {
        track: source.index,
        source,
        encoding,
        codec,
        extension,
        muxer,
        start,
        end,
        source_duration: probed.duration,
        sample_rate,
        channels,
        loudness: spec.loudness,
    })
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
