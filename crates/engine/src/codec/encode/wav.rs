//! WAV: a 44-byte RIFF header (sizes patched at the end), then little-endian samples.

use super::{to_int, Encoder};
use crate::{EngineError, Sink};

/// How samples are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum WavSample {
    U8,
    S16,
    S24,
    S32,
    F32,
    F64,
}

impl WavSample {
    fn bytes(self) -> u16 {
        match self {
            Self::U8 => 1,
            Self::S16 => 2,
            Self::S24 => 3,
            Self::S32 | Self::F32 => 4,
            Self::F64 => 8,
        }
    }
}

/// A WAV writer.
pub struct WavEncoder {
    format: WavSample,
    sample_rate: u32,
    channels: u16,
    data_bytes: u64,
    started: bool,
    buf: Vec<u8>,
}

impl WavEncoder {
    pub fn new(format: WavSample, sample_rate: u32, channels: u16) -> Self {
        Self {
            format,
            sample_rate,
            channels,
            data_bytes: 0,
            started: false,
            buf: Vec::new(),
        }
    }

    fn header(&self) -> [u8; 44] {
        // RIFF sizes are 32-bit: a longer file keeps the largest, as ffmpeg does.
        let data = u32::try_from(self.data_bytes).unwrap_or(u32::MAX - 36);
        let width = self.format.bytes();
        let block = width * self.channels;
        let tag: u16 = if matches!(self.format, WavSample::F32 | WavSample::F64) {
            3
        } else {
            1
        };
        let mut h = [0u8; 44];
        h[0..4].copy_from_slice(b"RIFF");
        h[4..8].copy_from_slice(&(data.saturating_add(36)).to_le_bytes());
        h[8..16].copy_from_slice(b"WAVEfmt ");
        h[16..20].copy_from_slice(&16u32.to_le_bytes());
        h[20..22].copy_from_slice(&tag.to_le_bytes());
        h[22..24].copy_from_slice(&self.channels.to_le_bytes());
        h[24..28].copy_from_slice(&self.sample_rate.to_le_bytes());
        h[28..32].copy_from_slice(&(self.sample_rate * u32::from(block)).to_le_bytes());
        h[32..34].copy_from_slice(&block.to_le_bytes());
        h[34..36].copy_from_slice(&(width * 8).to_le_bytes());
        h[36..40].copy_from_slice(b"data");
        h[40..44].copy_from_slice(&data.to_le_bytes());
        h
    }

    fn start(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        if !self.started {
            self.started = true;
            sink.write(&self.header())?;
        }
        Ok(())
    }
}

impl Encoder for WavEncoder {
    fn encode(&mut self, samples: &[f32], sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.start(sink)?;
        self.buf.clear();
        for &v in samples {
            match self.format {
                WavSample::U8 => self.buf.push((to_int(v, 8) + 128) as u8),
                WavSample::S16 => self
                    .buf
                    .extend_from_slice(&(to_int(v, 16) as i16).to_le_bytes()),
                WavSample::S24 => self
                    .buf
                    .extend_from_slice(&to_int(v, 24).to_le_bytes()[..3]),
                WavSample::S32 => self.buf.extend_from_slice(&to_int(v, 32).to_le_bytes()),
                WavSample::F32 => self.buf.extend_from_slice(&v.to_le_bytes()),
                WavSample::F64 => self.buf.extend_from_slice(&f64::from(v).to_le_bytes()),
            }
        }
        self.data_bytes += self.buf.len() as u64;
        sink.write(&self.buf)
    }

    fn finish(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.start(sink)?;
        sink.patch_head(&self.header())
    }
}
