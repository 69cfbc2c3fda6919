//! How a re-encode writes the format [`crate::plan::encode_target`] chose, read from the one
//! table (`v2a_protocol::formats`): each quality's MP3, AAC and Opus settings, and which formats
//! are encoded on this computer.

use v2a_protocol::formats::RateControl;
use v2a_protocol::{OutputFormat, Quality};

use crate::plan::Host;
use crate::EngineError;

/// MP3 rate control, as the server passes it to libmp3lame.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
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

/// AAC's target bitrate (kbit/s) for a quality, from the table (Default 192k, High 256k, Small
/// 96k, Voice 64k, an explicit bitrate clamped to AAC's range).
pub fn aac_kbps(quality: Quality) -> u32 {
    match OutputFormat::M4a.rate_control(quality) {
        Some((_, RateControl::Bitrate(k))) => k,
        // The table gives AAC a bitrate for every quality; ffmpeg's own default otherwise.
        _ => 128,
    }
}

/// Opus's target bitrate (bit/s) for a quality, from the table (Default 128k, High 192k, Small
/// 64k, Voice 32k, an explicit bitrate clamped to Opus's range), as the server gives libopus.
pub fn opus_bps(quality: Quality) -> u32 {
    match OutputFormat::Opus.rate_control(quality) {
        Some((_, RateControl::Bitrate(k))) => k * 1000,
        // The table gives Opus a bitrate for every quality; WebCodecs' own default otherwise.
        _ => 128_000,
    }
}

/// The formats this engine encodes itself; Vorbis's encoder is the server's.
pub const ENCODED_HERE: [OutputFormat; 4] = [
    OutputFormat::Mp3,
    OutputFormat::M4a,
    OutputFormat::Wav,
    OutputFormat::Flac,
];

/// Whether `format` is encoded on this computer: by the engine, or (Opus) by the host's
/// encoder when it has one.
pub fn encodes(format: OutputFormat, host: &Host) -> bool {
    ENCODED_HERE.contains(&format) || (format == OutputFormat::Opus && host.opus_encoder)
}

/// The formats encoded on this computer as people read them ("MP3, M4A, WAV, FLAC, Opus"),
/// but `except` (the one just found not to be made here: surround Opus or AAC).
pub fn encoded_here(host: &Host, except: OutputFormat) -> String {
    let names: Vec<&str> = ENCODED_HERE
        .iter()
        .chain(host.opus_encoder.then_some(&OutputFormat::Opus))
        .filter(|f| **f != except)
        .filter_map(|f| f.info().map(|i| i.name))
        .collect();
    names.join(", ")
}

/// (extension, MIME type) of a format encoded on this computer, or why not.
pub fn container(
    format: OutputFormat,
    host: &Host,
) -> Result<(&'static str, &'static str), EngineError> {
    let info = format
        .info()
        .filter(|_| encodes(format, host))
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
