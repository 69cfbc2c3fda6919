//! The loudness meter; the rule it feeds (gain, limiter ceiling, retuning) is the server's,
//! shared in `v2a_protocol::loudness`.

use ebur128::{Channel, EbuR128, Mode};
pub use v2a_protocol::loudness::{gain_for, retune, Gain, Measured};

use crate::EngineError;

fn fail(e: impl std::fmt::Display) -> EngineError {
    EngineError::Unsupported(format!("loudness measurement: {e}"))
}

/// A measurement in progress.
pub struct Meter {
    inner: EbuR128,
}

impl Meter {
    /// `channels` in WAV order; 5.1's LFE is not measured and its rear pair is weighted as
    /// surround, as BS.1770 and ffmpeg's ebur128 filter do.
    pub fn new(sample_rate: u32, channels: u16) -> Result<Self, EngineError> {
        let mut inner = EbuR128::new(u32::from(channels), sample_rate, Mode::I | Mode::TRUE_PEAK)
            .map_err(fail)?;
        if channels == 6 {
            let map = [
                Channel::Left,
                Channel::Right,
                Channel::Center,
                Channel::Unused,
                Channel::LeftSurround,
                Channel::RightSurround,
            ];
            inner.set_channel_map(&map).map_err(fail)?;
        }
        Ok(Self { inner })
    }

    /// Adds interleaved samples.
    pub fn add(&mut self, samples: &[f32]) -> Result<(), EngineError> {
        self.inner.add_frames_f32(samples).map_err(fail)
    }

    pub fn result(&self) -> Result<Measured, EngineError> {
        let integrated = self.inner.loudness_global().map_err(fail)?;
        let mut peak = 0f64;
        for ch in 0..self.inner.channels() {
            peak = peak.max(self.inner.true_peak(ch).map_err(fail)?);
        }
        Ok(Measured {
            integrated,
            true_peak: 20.0 * peak.log10(),
        })
    }
}
