//! Opus made by the host's encoder (the browser's WebCodecs `AudioEncoder`, which is async and
//! lives in JavaScript): this side queues the processed 48 kHz PCM for the host to take, and
//! muxes the packets it gives back into Ogg Opus ([`OggOpus`]), so the granule and pre-skip
//! logic stays here, tested natively.

use super::{Encoder, PcmOutbox};
use crate::mux::OggOpus;
use crate::{EngineError, Sink};

/// The rate Opus encodes at (RFC 6716); the chain resamples to it.
pub const OPUS_RATE: u32 = 48_000;

/// An Opus stream encoded by the host.
pub struct HostOpus {
    /// Bits per second the host's encoder is asked for.
    pub bitrate: u32,
    pcm: PcmOutbox,
    out: OggOpus,
}

impl HostOpus {
    /// An encoder of `channels` (1 or 2) at `bitrate` bit/s, of sound that was at `input_rate`.
    pub fn new(bitrate: u32, channels: u16, input_rate: u32) -> Result<Self, EngineError> {
        if !(1..=2).contains(&channels) {
            return Err(EngineError::Unsupported(format!(
                "Opus of {channels} channels is made by the server"
            )));
        }
        Ok(Self {
            bitrate,
            pcm: PcmOutbox::new(channels, OPUS_RATE),
            out: OggOpus::new(channels, input_rate),
        })
    }

    /// A packet the host's encoder made, with its timestamp (µs) and, when the encoder gave
    /// one, its description (OpusHead).
    pub fn push_packet(
        &mut self,
        data: &[u8],
        timestamp: f64,
        description: Option<&[u8]>,
        sink: &mut dyn Sink,
    ) -> Result<(), EngineError> {
        self.out.push(data, timestamp, description, sink)
    }

    /// Ends the file once the host's encoder is flushed; returns the seconds it plays.
    pub fn finish_mux(&mut self, sink: &mut dyn Sink) -> Result<f64, EngineError> {
        self.out.input_done(self.pcm.frames_in());
        self.out.finish(sink)
    }
}

impl Encoder for HostOpus {
    fn encode(&mut self, samples: &[f32], _sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.pcm.push(samples);
        Ok(())
    }
    /// The PCM is all given; the file ends in [`HostOpus::finish_mux`], after the host's flush.
    fn finish(&mut self, _sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.pcm.end();
        self.out.input_done(self.pcm.frames_in());
        Ok(())
    }
    fn host_opus(&mut self) -> Option<&mut HostOpus> {
        Some(self)
    }
    fn outbox(&mut self) -> Option<&mut PcmOutbox> {
        Some(&mut self.pcm)
    }
}
