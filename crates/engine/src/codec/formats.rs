//! What a re-encode writes, read from the one table (`v2a_protocol::formats`): the format a spec
//! resolves to (as [`crate::plan`] and the server resolve it), each quality's MP3 settings, and
//! which formats this engine encodes itself.

use v2a_protocol::formats::{self, RateControl};
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

/// MP3 settings for a quality, from the table (Default VBR q2, High 320k, Small 96k, Voice 64k,
/// an explicit bitrate clamped to MP3's range).
pub fn mp3_rate(quality: Quality) -> Mp3Rate {
    match OutputFormat::Mp3.rate_control(quality) {
        Some((_, RateControl::Bitrate(k))) => Mp3Rate::Cbr(k),
        Some((_, RateControl::Quality(q))) => Mp3Rate::Vbr(q),
        // The table gives MP3 a rate for every quality; LAME's own default otherwise.
        _ => Mp3Rate::Vbr(4.0),
    }
}

/// The format and quality a re-encode of `codec` writes for `spec`, as the plan decides it: a
/// named format as is; otherwise the codec's family (MP3 when it has none, FLAC for
/// `Original`, which also re-encodes lossy formats at their high setting).
pub fn target(spec: &ExtractionSpec, codec: &Codec) -> (OutputFormat, Quality) {
    let family = formats::natural(&codec.ffprobe_name()).map(|n| n.family);
    match spec.format {
        Some(OutputFormat::Original) => {
            let quality = match spec.quality {
                Quality::Default => Quality::High,
                q => q,
            };
            (family.unwrap_or(OutputFormat::Flac), quality)
        }
        None => (family.unwrap_or(OutputFormat::Mp3), spec.quality),
        Some(format) => (format, spec.quality),
    }
}

/// (extension, MIME type) of a format this engine encodes (MP3, WAV, FLAC), or why not: AAC,
/// Opus and Vorbis encoders are the server's (or the browser's WebCodecs, later).
pub fn container(format: OutputFormat) -> Result<(&'static str, &'static str), EngineError> {
    let info = format
        .info()
        .filter(|_| {
            matches!(
                format,
                OutputFormat::Mp3 | OutputFormat::Wav | OutputFormat::Flac
            )
        })
        .ok_or_else(|| {
            EngineError::Unsupported(format!("encoding {} is done by the server", format.label()))
        })?;
    Ok((info.extension(), info.mime))
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
