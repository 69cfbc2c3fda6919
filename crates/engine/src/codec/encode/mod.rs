//! Encoders: interleaved `f32` in, bytes to a [`Sink`] as they are ready (or PCM handed out:
//! to the host's Opus encoder, [`HostOpus`], or to a second engine instance, [`Outboard`], or
//! as parts to several, [`Mp3Parts`]).
//! All are built from an [`EncoderSpec`]. Formats whose header
//! holds sizes known only at the end (WAV, FLAC's STREAMINFO, MP3's Info tag) write that header
//! as their first write and patch it at [`Encoder::finish`].

mod aac;
mod flac;
mod host;
mod mp3;
mod mp3_parts;
mod outbox;
mod spec;
mod wav;

pub use aac::{aac_sample_rate, AacEncoder, MAX_CHANNELS as AAC_MAX_CHANNELS};
pub use flac::FlacEncoder;
pub use host::{HostOpus, OPUS_RATE};
pub use mp3::Mp3Encoder;
pub use mp3_parts::{encode_part, in_parts, Mp3Part, Mp3Parts, PART_FRAMES, PREROLL_FRAMES};
pub use outbox::{Outboard, PcmBlock, PcmOutbox};
pub use spec::{EncoderSpec, Output};
pub use wav::{WavEncoder, WavSample};

use crate::{EngineError, Sink};

/// One output stream being encoded.
pub trait Encoder {
    /// Encodes `samples` (interleaved, at the rate and channel count the encoder was made for).
    fn encode(&mut self, samples: &[f32], sink: &mut dyn Sink) -> Result<(), EngineError>;
    /// Encodes what is buffered and completes the header.
    fn finish(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError>;
    /// The Opus stream the host encodes, for an encoder that is one.
    fn host_opus(&mut self) -> Option<&mut HostOpus> {
        None
    }
    /// The PCM handed out, for an encoder that encodes elsewhere.
    fn outbox(&mut self) -> Option<&mut PcmOutbox> {
        None
    }
    /// What the other instances build, for an encoder that runs there.
    fn outboard(&self) -> Option<&EncoderSpec> {
        None
    }
    /// The parts of a VBR MP3 that other instances encode, for an encoder that cuts them.
    fn mp3_parts(&mut self) -> Option<&mut Mp3Parts> {
        None
    }
}

/// `f32` in [-1, 1] to a signed integer of `bits`, rounded and clipped as ffmpeg's sample
/// format conversion does (no dither).
pub(crate) fn to_int(v: f32, bits: u32) -> i32 {
    let scale = (1i64 << (bits - 1)) as f64;
    let max = scale - 1.0;
    (f64::from(v) * scale).round().clamp(-scale, max) as i32
}
