//! Loudness normalisation with the server's meaning (`server/src/media/args.rs`): measure the
//! integrated loudness (EBU R128) and true peak of what will be written, then one gain to the
//! target, with a true-peak limiter when that gain would push peaks over the ceiling.

use ebur128::{Channel, EbuR128, Mode};
use v2a_protocol::Loudness;

use crate::EngineError;

/// ebur128's absolute gate: a measure at or below this is silence, with nothing to normalise
/// (the server's `SILENT_LUFS`).
const SILENT_LUFS: f64 = -69.95;
/// The limiter's ceiling sits this far under the true-peak target, dB: its gain follows peaks
/// it sees 4× oversampled, and an encoder after it (MP3's low-pass rings) can overshoot.
const LIMIT_HEADROOM_DB: f64 = 0.5;

fn fail(e: impl std::fmt::Display) -> EngineError {
    EngineError::Unsupported(format!("loudness measurement: {e}"))
}

/// A measurement in progress.
pub struct Meter {
    inner: EbuR128,
}

/// What was measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured {
    /// LUFS.
    pub integrated: f64,
    /// dBTP.
    pub true_peak: f64,
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

/// A limited result this close to the target is kept, LU (the server's `TUNED_WITHIN`).
const TUNED_WITHIN: f64 = 0.4;
/// The lowest limiter ceiling, dBFS (the server's `LOWEST_LIMIT`).
const LOWEST_LIMIT: f64 = -24.0;

/// What the output pass does to reach the target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gain {
    /// Gain on every sample, dB.
    pub db: f64,
    /// The limiter's true-peak ceiling, dBFS, when the gain alone would pass the target's.
    pub limit: Option<f64>,
}

impl Gain {
    pub fn linear(&self) -> f32 {
        10f64.powf(self.db / 20.0) as f32
    }
    pub fn limit_linear(&self) -> Option<f32> {
        self.limit.map(|l| 10f64.powf(l / 20.0) as f32)
    }
}

fn silent(m: &Measured) -> bool {
    !m.integrated.is_finite() || !m.true_peak.is_finite() || m.integrated <= SILENT_LUFS
}

/// The gain that brings `m` to `target`; `None` for silence, which is left as it is.
pub fn gain_for(m: &Measured, target: Loudness) -> Option<Gain> {
    if silent(m) {
        return None;
    }
    let db = target.integrated - m.integrated;
    let limit = (m.true_peak + db > target.true_peak)
        .then_some((target.true_peak - LIMIT_HEADROOM_DB).max(LOWEST_LIMIT));
    Some(Gain { db, limit })
}

/// After measuring what a limited `gain` makes (peaks carry loudness, so limiting lowers it):
/// `None` when on target, otherwise the gain raised by what the limiter took and the ceiling
/// lowered by any overshoot — the server's `retune`.
pub fn retune(gain: &Gain, after: &Measured, target: Loudness) -> Option<Gain> {
    let limit = gain.limit?;
    if silent(after) {
        return None;
    }
    let short = target.integrated - after.integrated;
    let over = after.true_peak - target.true_peak;
    if short.abs() <= TUNED_WITHIN && over <= 0.0 {
        return None;
    }
    Some(Gain {
        db: gain.db + short,
        limit: Some((limit - over.max(0.0)).max(LOWEST_LIMIT)),
    })
}
