//! What a re-encode writes: the output format a spec resolves to, and each format's quality
//! settings, with the same meaning as the server's `media/plan.rs` (`rate_control`, `family`).
//!
//! moves to v2a_protocol::formats (the shared table, being written on another branch); until
//! then this is the engine's one copy.

use v2a_protocol::{ExtractionSpec, OutputFormat, Quality};

use crate::{Codec, EngineError};

/// MP3 rate control, as the server passes it to libmp3lame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mp3Rate {
    /// `-q:a N`: VBR, 0 best … 9 smallest.
    Vbr(f32),
    /// `-b:a Nk`: constant bitrate.
    Cbr(u32),
}

/// MP3 settings for a quality (the server's table: Default VBR q2, High 320k, Small 96k,
/// Voice 64k, Bitrate(k) CBR k clamped to 8–320).
pub fn mp3_rate(quality: Quality) -> Mp3Rate {
    match quality {
        Quality::Default => Mp3Rate::Vbr(2.0),
        Quality::High => Mp3Rate::Cbr(320),
        Quality::Small => Mp3Rate::Cbr(96),
        Quality::Voice => Mp3Rate::Cbr(64),
        Quality::Bitrate(k) => Mp3Rate::Cbr(k.clamp(8, 320)),
    }
}

/// The format a codec is naturally re-encoded into when the spec names none; `None` for codecs
/// without a natural audio container (ALAC, AC-3…), which become MP3 (or FLAC for `Original`).
fn family(codec: &Codec) -> Option<OutputFormat> {
    Some(match codec {
        Codec::Aac => OutputFormat::M4a,
        Codec::Mp3 => OutputFormat::Mp3,
        Codec::Opus => OutputFormat::Opus,
        Codec::Vorbis => OutputFormat::Ogg,
        Codec::Flac => OutputFormat::Flac,
        Codec::Pcm { .. } => OutputFormat::Wav,
        Codec::Alac | Codec::Other(_) => return None,
    })
}

/// The format and quality a re-encode of `codec` writes for `spec`: the server's choices
/// (`Original` re-encodes lossy formats at their high setting, and codecs with no natural
/// container to FLAC).
pub fn target(spec: &ExtractionSpec, codec: &Codec) -> (OutputFormat, Quality) {
    match spec.format {
        Some(OutputFormat::Original) => {
            let quality = match spec.quality {
                Quality::Default => Quality::High,
                q => q,
            };
            (family(codec).unwrap_or(OutputFormat::Flac), quality)
        }
        None => (family(codec).unwrap_or(OutputFormat::Mp3), spec.quality),
        Some(format) => (format, spec.quality),
    }
}

/// (extension, MIME type) of the formats the engine encodes, or why it cannot.
pub fn container(format: OutputFormat) -> Result<(&'static str, &'static str), EngineError> {
    match format {
        OutputFormat::Mp3 => Ok(("mp3", "audio/mpeg")),
        OutputFormat::Wav => Ok(("wav", "audio/wav")),
        OutputFormat::Flac => Ok(("flac", "audio/flac")),
        other => Err(EngineError::Unsupported(format!(
            "encoding {} is done by the server",
            other.label()
        ))),
    }
}

/// The sample rates MP3 has (MPEG-1, 2 and 2.5).
const MP3_RATES: [u32; 9] = [
    8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000,
];

/// The rate an MP3 is written at for a wanted rate: as the server, above 48 kHz is 48 kHz;
/// a rate MP3 lacks becomes the next one up (LAME would resample the same way).
pub fn mp3_sample_rate(wanted: u32) -> u32 {
    MP3_RATES
        .into_iter()
        .find(|r| *r >= wanted)
        .unwrap_or(48_000)
}
