//! Opus made by the host's encoder (the browser's WebCodecs `AudioEncoder`, which is async and
//! lives in JavaScript): this side queues the processed 48 kHz PCM for the host to take, and
//! muxes the packets it gives back into Ogg Opus ([`OggOpus`]), so the granule and pre-skip
//! logic stays here, tested natively.

use super::Encoder;
use crate::mux::OggOpus;
use crate::{EngineError, Sink};

/// The rate Opus encodes at (RFC 6716); the chain resamples to it.
pub const OPUS_RATE: u32 = 48_000;

/// PCM for the host's encoder: interleaved `f32`, starting `first_frame` frames into the output.
#[derive(Debug, Clone, PartialEq)]
pub struct PcmBlock {
    pub samples: Vec<f32>,
    pub channels: u16,
    pub sample_rate: u32,
    pub first_frame: u64,
}

impl PcmBlock {
    /// Microseconds from the output's start, the `timestamp` WebCodecs wants.
    pub fn timestamp(&self) -> f64 {
        self.first_frame as f64 * 1e6 / f64::from(self.sample_rate.max(1))
    }
}

/// An Opus stream encoded by the host.
pub struct HostOpus {
    /// Bits per second the host's encoder is asked for.
    pub bitrate: u32,
    channels: u16,
    /// PCM not yet taken by the host.
    outbox: Vec<f32>,
    /// Frames given (taken or waiting).
    frames_in: u64,
    frames_taken: u64,
    input_done: bool,
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
            channels,
            outbox: Vec::new(),
            frames_in: 0,
            frames_taken: 0,
            input_done: false,
            out: OggOpus::new(channels, input_rate),
        })
    }

    /// The PCM waiting for the host, if any (all of it: a step's worth, a few seconds).
    pub fn take_pcm(&mut self) -> Option<PcmBlock> {
        if self.outbox.is_empty() {
            return None;
        }
        let samples = std::mem::take(&mut self.outbox);
        let block = PcmBlock {
            channels: self.channels,
            sample_rate: OPUS_RATE,
            first_frame: self.frames_taken,
            samples,
        };
        self.frames_taken = self.frames_in;
        Some(block)
    }

    /// Whether all the PCM is given (and the host should flush once it has taken it).
    pub fn input_done(&self) -> bool {
        self.input_done
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
        self.out.input_done(self.frames_in);
        self.out.finish(sink)
    }
}

impl Encoder for HostOpus {
    fn encode(&mut self, samples: &[f32], _sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.outbox.extend_from_slice(samples);
        self.frames_in += (samples.len() / usize::from(self.channels)) as u64;
        Ok(())
    }
    /// The PCM is all given; the file ends in [`HostOpus::finish_mux`], after the host's flush.
    fn finish(&mut self, _sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.input_done = true;
        self.out.input_done(self.frames_in);
        Ok(())
    }
    fn host_opus(&mut self) -> Option<&mut HostOpus> {
        Some(self)
    }
}
