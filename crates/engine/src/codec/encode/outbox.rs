//! PCM handed out of the engine instance for someone else to encode: the browser's Opus
//! encoder ([`super::HostOpus`]), or a second instance of the engine in another worker
//! ([`Outboard`]) so that encoding runs on a second core while this one reads and decodes.

use super::{Encoder, EncoderSpec};
use crate::{EngineError, Sink};

/// PCM for another encoder: interleaved `f32`, starting `first_frame` frames into the output.
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

/// The PCM made and not yet taken, and how much there was.
pub struct PcmOutbox {
    channels: u16,
    sample_rate: u32,
    samples: Vec<f32>,
    /// Frames given (taken or waiting).
    frames_in: u64,
    frames_taken: u64,
    ended: bool,
}

impl PcmOutbox {
    pub fn new(channels: u16, sample_rate: u32) -> Self {
        Self {
            channels: channels.max(1),
            sample_rate,
            samples: Vec::new(),
            frames_in: 0,
            frames_taken: 0,
            ended: false,
        }
    }

    pub fn push(&mut self, samples: &[f32]) {
        self.samples.extend_from_slice(samples);
        self.frames_in += (samples.len() / usize::from(self.channels)) as u64;
    }

    /// The PCM waiting, if any (all of it: the host takes it after every step, so a step's
    /// worth, a few seconds).
    pub fn take(&mut self) -> Option<PcmBlock> {
        if self.samples.is_empty() {
            return None;
        }
        let block = PcmBlock {
            channels: self.channels,
            sample_rate: self.sample_rate,
            first_frame: self.frames_taken,
            samples: std::mem::take(&mut self.samples),
        };
        self.frames_taken = self.frames_in;
        Some(block)
    }

    /// Frames given so far.
    pub fn frames_in(&self) -> u64 {
        self.frames_in
    }

    /// All the PCM is given.
    pub fn end(&mut self) {
        self.ended = true;
    }

    pub fn ended(&self) -> bool {
        self.ended
    }
}

/// An encoder run by a second instance of the engine: this side only hands its PCM out; the
/// other builds the encoder from [`Outboard::spec`] and makes the whole file, bit for bit what
/// the encoder would have made here (`tests/outboard.rs`).
pub struct Outboard {
    spec: EncoderSpec,
    pcm: PcmOutbox,
}

impl Outboard {
    pub fn new(spec: EncoderSpec) -> Self {
        Self {
            pcm: PcmOutbox::new(spec.channels, spec.sample_rate),
            spec,
        }
    }
}

impl Encoder for Outboard {
    fn encode(&mut self, samples: &[f32], _sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.pcm.push(samples);
        Ok(())
    }
    fn finish(&mut self, _sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.pcm.end();
        Ok(())
    }
    fn outbox(&mut self) -> Option<&mut PcmOutbox> {
        Some(&mut self.pcm)
    }
    fn outboard(&self) -> Option<&EncoderSpec> {
        Some(&self.spec)
    }
}
