//! FLAC with flacenc, one fixed-size block at a time: "fLaC" and a STREAMINFO placeholder
//! first, the frames as each block fills, and the STREAMINFO (sample count, frame sizes, MD5)
//! patched over the placeholder at the end.

use flacenc::bitsink::MemSink;
use flacenc::component::{BitRepr, StreamInfo};
use flacenc::config;
use flacenc::error::{Verified, Verify};
use flacenc::source::{Context, Fill, FrameBuf};

use super::{to_int, Encoder};
use crate::{EngineError, Sink};

/// Samples per channel in a block (flacenc's default; ffmpeg uses 4608 at 44.1 kHz).
const BLOCK: usize = 4096;

fn fail(e: impl std::fmt::Display) -> EngineError {
    EngineError::Write(format!("FLAC: {e}"))
}

/// A FLAC writer.
pub struct FlacEncoder {
    config: Verified<config::Encoder>,
    info: StreamInfo,
    bits: u32,
    channels: usize,
    /// Interleaved integer samples of the block being filled.
    pending: Vec<i32>,
    framebuf: FrameBuf,
    context: Context,
    frame_number: usize,
    started: bool,
}

impl FlacEncoder {
    /// `bits`: 16 or 24.
    pub fn new(sample_rate: u32, channels: u16, bits: u32) -> Result<Self, EngineError> {
        let ch = usize::from(channels);
        let mut encoder = config::Encoder::default();
        encoder.block_size = BLOCK;
        let config = encoder.into_verified().map_err(|(_, e)| fail(e))?;
        let mut info = StreamInfo::new(sample_rate as usize, ch, bits as usize).map_err(fail)?;
        info.set_block_sizes(BLOCK, BLOCK).map_err(fail)?;
        Ok(Self {
            config,
            info,
            bits,
            channels: ch,
            pending: Vec::with_capacity(BLOCK * ch),
            framebuf: FrameBuf::with_size(ch, BLOCK).map_err(fail)?,
            context: Context::new(bits as usize, ch),
            frame_number: 0,
            started: false,
        })
    }

    fn head(&self) -> Result<Vec<u8>, EngineError> {
        let mut h = Vec::with_capacity(42);
        h.extend_from_slice(b"fLaC");
        // Last metadata block, type 0 (STREAMINFO), 34 bytes.
        h.extend_from_slice(&[0x80, 0, 0, 34]);
        h.extend_from_slice(&bytes(&self.info)?);
        Ok(h)
    }

    fn start(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        if !self.started {
            self.started = true;
            sink.write(&self.head()?)?;
        }
        Ok(())
    }

    fn flush_block(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut fill = (&mut self.framebuf, &mut self.context);
        fill.fill_interleaved(&self.pending).map_err(fail)?;
        let frame = flacenc::encode_fixed_size_frame(
            &self.config,
            &self.framebuf,
            self.frame_number,
            &self.info,
        )
        .map_err(fail)?;
        self.info.update_frame_info(&frame);
        self.frame_number += 1;
        self.pending.clear();
        sink.write(&bytes(&frame)?)
    }
}

impl Encoder for FlacEncoder {
    fn encode(&mut self, samples: &[f32], sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.start(sink)?;
        let block = BLOCK * self.channels;
        for &v in samples {
            self.pending.push(to_int(v, self.bits));
            if self.pending.len() == block {
                self.flush_block(sink)?;
            }
        }
        Ok(())
    }

    fn finish(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.start(sink)?;
        self.flush_block(sink)?;
        self.info.set_md5_digest(&self.context.md5_digest());
        self.info.set_total_samples(self.context.total_samples());
        // The last block is shorter; STREAMINFO's minimum leaves it out.
        if self.frame_number > 1 {
            self.info.set_block_sizes(BLOCK, BLOCK).map_err(fail)?;
        }
        sink.patch_head(&self.head()?)
    }
}

/// A component's bytes (frames and STREAMINFO are whole bytes long).
fn bytes(c: &impl BitRepr) -> Result<Vec<u8>, EngineError> {
    let mut sink = MemSink::<u8>::new();
    c.write(&mut sink).map_err(fail)?;
    Ok(sink.into_inner())
}
