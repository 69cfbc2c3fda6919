//! MP3 with rusty_mp3 (pure Rust; chosen over shine-rs by the measurement in
//! `tests/codec_mp3_quality.rs`, whose figures are in docs/DESIGN.md). Its first packet is a
//! LAME Info/Xing tag whose counts are known only at the end: written first, patched last, so
//! ffmpeg decodes the file to exactly the input's length.

use rusty_mp3::{Error as Mp3Error, Mp3EncoderConfig};

use super::Encoder;
use crate::codec::formats::Mp3Rate;
use crate::{EngineError, Sink};

/// An MP3 writer.
pub struct Mp3Encoder {
    inner: rusty_mp3::Mp3Encoder,
    sample_rate: u32,
    channels: u16,
    /// Whether the tag frame (the first packet) was written.
    started: bool,
}

fn fail(e: Mp3Error) -> EngineError {
    EngineError::Write(format!("MP3: {e}"))
}

impl Mp3Encoder {
    /// `sample_rate` must be one of MP3's nine; `channels` 1 or 2.
    pub fn new(rate: Mp3Rate, sample_rate: u32, channels: u16) -> Self {
        Self {
            inner: rusty_mp3::Mp3Encoder::new(config(rate)),
            sample_rate,
            channels,
            started: false,
        }
    }

    fn drain(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        loop {
            match self.inner.next_packet() {
                Ok(packet) => {
                    self.started = true;
                    sink.write(&packet)?;
                }
                Err(Mp3Error::Again | Mp3Error::Eof) => return Ok(()),
                Err(e) => return Err(fail(e)),
            }
        }
    }
}

/// rusty_mp3's settings for a rate control (also those of [`super::Mp3Parts`]' encoders).
pub(super) fn config(rate: Mp3Rate) -> Mp3EncoderConfig {
    match rate {
        Mp3Rate::Vbr(q) => Mp3EncoderConfig {
            bitrate_kbps: 0,
            vbr_quality: Some(rusty_mp3::vbr_quality_index(q)),
        },
        Mp3Rate::Cbr(k) => Mp3EncoderConfig {
            bitrate_kbps: k,
            vbr_quality: None,
        },
    }
}

impl Encoder for Mp3Encoder {
    fn encode(&mut self, samples: &[f32], sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.inner
            .push_pcm_f32(samples, self.channels, self.sample_rate)
            .map_err(fail)?;
        self.drain(sink)
    }

    fn finish(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        if !self.started {
            // Nothing was pushed: an empty push fixes the format, so the file is still a
            // valid (silent, frame-long) MP3 rather than zero bytes.
            self.inner
                .push_pcm_f32(&[], self.channels, self.sample_rate)
                .map_err(fail)?;
        }
        let was_started = self.started;
        self.inner.finish();
        self.drain(sink)?;
        if was_started {
            if let Some(tag) = self.inner.lame_tag_frame() {
                sink.patch_head(tag)?;
            }
        }
        Ok(())
    }
}
