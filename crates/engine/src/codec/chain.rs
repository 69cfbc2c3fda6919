//! The processing after the decoder: kept samples → mix → resample → gain → limiter → the
//! encoder (or, in a measuring pass, the loudness meter).

use super::encode::Encoder;
use crate::dsp::limiter::Limiter;
use crate::dsp::loudness::Meter;
use crate::dsp::mix::Mixer;
use crate::dsp::resample::Resampler;
use crate::dsp::trim::Trim;
use crate::{EngineError, Sink};

/// The processing after the decoder, built once the decoder's real rate and channels are known
/// (an MP3's from its first frame, HE-AAC's at twice the coded rate).
pub(super) struct Chain {
    pub(super) trim: Trim,
    pub(super) mixer: Option<Mixer>,
    pub(super) mixed: Vec<f32>,
    pub(super) resampler: Option<Resampler>,
    pub(super) resampled: Vec<f32>,
    pub(super) gain: f32,
    pub(super) limiter: Option<Limiter>,
    pub(super) limited: Vec<f32>,
    pub(super) meter: Option<Meter>,
    pub(super) encoder: Option<Box<dyn Encoder>>,
    pub(super) out_rate: u32,
    pub(super) out_channels: u16,
    pub(super) frames_out: u64,
}

impl Chain {
    pub(super) fn new(
        trim: Trim,
        mixer: Option<Mixer>,
        rate: u32,
        channels: u16,
        encoder: Option<Box<dyn Encoder>>,
    ) -> Self {
        Self {
            trim,
            mixer,
            mixed: Vec::new(),
            resampler: None,
            resampled: Vec::new(),
            gain: 1.0,
            limiter: None,
            limited: Vec::new(),
            meter: None,
            encoder,
            out_rate: rate,
            out_channels: channels,
            frames_out: 0,
        }
    }

    /// Seconds written.
    pub(super) fn seconds(&self) -> f64 {
        self.frames_out as f64 / f64::from(self.out_rate.max(1))
    }

    /// Kept decoded samples through the rest of the chain.
    pub(super) fn process(
        &mut self,
        kept: &[f32],
        sink: Option<&mut dyn Sink>,
    ) -> Result<(), EngineError> {
        if kept.is_empty() {
            return Ok(());
        }
        let mixed: &[f32] = match &self.mixer {
            Some(m) => {
                m.mix(kept, &mut self.mixed);
                &self.mixed
            }
            None => kept,
        };
        self.resampled.clear();
        match self.resampler.as_mut() {
            Some(r) => r.process(mixed, &mut self.resampled)?,
            None => self.resampled.extend_from_slice(mixed),
        }
        self.write(sink, false)
    }

    /// The end of a measuring pass: the limiter's delayed tail into the meter.
    pub(super) fn finish_measuring(&mut self) -> Result<(), EngineError> {
        self.resampled.clear();
        self.write(None, true)
    }

    pub(super) fn finish(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.resampled.clear();
        if let Some(r) = self.resampler.as_mut() {
            r.finish(&mut self.resampled)?;
        }
        self.write(Some(&mut *sink), true)?;
        if let Some(encoder) = self.encoder.as_mut() {
            encoder.finish(sink)?;
        }
        Ok(())
    }

    /// Gain, limiter and then the encoder (or, measuring, the meter) over `self.resampled`.
    pub(super) fn write(
        &mut self,
        sink: Option<&mut dyn Sink>,
        last: bool,
    ) -> Result<(), EngineError> {
        if self.gain != 1.0 {
            for s in &mut self.resampled {
                *s *= self.gain;
            }
        }
        let ready: &[f32] = match self.limiter.as_mut() {
            Some(l) => {
                self.limited.clear();
                l.process(&self.resampled, &mut self.limited);
                if last {
                    l.finish(&mut self.limited);
                }
                &self.limited
            }
            None => &self.resampled,
        };
        if let Some(meter) = self.meter.as_mut() {
            meter.add(ready)?;
        }
        if let (Some(encoder), Some(sink)) = (self.encoder.as_mut(), sink) {
            if !ready.is_empty() {
                encoder.encode(ready, sink)?;
            }
        }
        self.frames_out += (ready.len() / usize::from(self.out_channels.max(1))) as u64;
        Ok(())
    }
}
