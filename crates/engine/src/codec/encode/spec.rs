//! What an encoder is made of, as data: the one place the engine's encoders are built, by the
//! chain in this instance or, for a job that encodes in a second instance
//! ([`super::Outboard`]), by that instance from the spec this one hands over as text.

use serde::{Deserialize, Serialize};

use super::{AacEncoder, Encoder, FlacEncoder, HostOpus, Mp3Encoder, WavEncoder, WavSample};
use crate::codec::formats::Mp3Rate;
use crate::EngineError;

/// What is written.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Output {
    Mp3(Mp3Rate),
    /// AAC-LC in an .m4a at this many kbit/s.
    Aac(u32),
    Wav(WavSample),
    /// Bits per sample.
    Flac(u32),
    /// Opus in Ogg at this many bit/s, encoded by the host ([`HostOpus`]).
    HostOpus(u32),
}

impl Output {
    /// Whether other instances of the engine pay for this encoder: MP3, AAC and FLAC are
    /// nearly all of a job's time (of a 3-minute clip's MP3 in Chromium, the decoding
    /// instance's own steps took 0.3–0.7 s, docs/DESIGN.md), so they run beside the decoding;
    /// WAV costs less than handing its PCM over, and Opus is the browser's.
    pub fn pays_outboard(self) -> bool {
        matches!(self, Output::Mp3(_) | Output::Aac(_) | Output::Flac(_))
    }
}

/// An encoder's output and the PCM it takes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EncoderSpec {
    pub output: Output,
    /// The PCM's rate and channel count (interleaved `f32`).
    pub sample_rate: u32,
    pub channels: u16,
    /// The source's rate, which Ogg Opus records.
    pub input_rate: u32,
}

impl EncoderSpec {
    /// The encoder.
    pub fn build(&self) -> Result<Box<dyn Encoder>, EngineError> {
        let (rate, channels) = (self.sample_rate, self.channels);
        Ok(match self.output {
            Output::Mp3(r) => Box::new(Mp3Encoder::new(r, rate, channels)),
            Output::Aac(kbps) => Box::new(AacEncoder::new(kbps, rate, channels)?),
            Output::Wav(format) => Box::new(WavEncoder::new(format, rate, channels)),
            Output::Flac(bits) => Box::new(FlacEncoder::new(rate, channels, bits)?),
            Output::HostOpus(bps) => Box::new(HostOpus::new(bps, channels, self.input_rate)?),
        })
    }

    /// The spec as text, for [`EncoderSpec::from_text`] in another instance.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A spec from [`EncoderSpec::to_text`].
    pub fn from_text(text: &str) -> Result<Self, EngineError> {
        serde_json::from_str(text)
            .map_err(|e| EngineError::Write(format!("an encoder spec that does not read: {e}")))
    }
}
