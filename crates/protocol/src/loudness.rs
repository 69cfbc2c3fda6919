//! Loudness normalisation's rule, shared by the server (ffmpeg's ebur128 and a `volume` gain)
//! and the in-browser engine (the ebur128 crate and its own limiter): measure the integrated
//! loudness (EBU R128) and true peak, then one gain to the target, with a true-peak limiter when
//! that gain would push peaks over the ceiling, re-measured and retuned (peaks carry loudness,
//! so limiting lowers it).

use std::ops::RangeInclusive;

use crate::spec::Loudness;

/// The integrated targets a request may ask for, LUFS (ebur128's gate is -70).
pub const INTEGRATED_RANGE: RangeInclusive<f64> = -70.0..=-5.0;
/// The true-peak ceilings a request may ask for, dBTP.
pub const TRUE_PEAK_RANGE: RangeInclusive<f64> = -9.0..=0.0;
/// ebur128's absolute gate: a measure at or below this is silence, with nothing to normalise.
pub const SILENT_LUFS: f64 = -69.95;
/// The limiter works on samples (or 4× oversampled peaks) and an encoder after it (MP3's
/// low-pass rings) can overshoot, so its ceiling starts this far under the true-peak target, dB.
pub const LIMIT_HEADROOM: f64 = 0.5;
/// A limited result this close to the integrated target is kept, LU.
pub const TUNED_WITHIN: f64 = 0.4;
/// Extra room when a written file overshot the ceiling, dB: the second encode overshoots a
/// little differently.
pub const OVERSHOOT_MARGIN: f64 = 0.2;
/// The lowest limiter ceiling, dBFS (ffmpeg's alimiter's linear minimum is 0.0625).
pub const LOWEST_LIMIT: f64 = -24.0;

/// What a measurement found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured {
    /// Integrated loudness, LUFS.
    pub integrated: f64,
    /// True peak, dBTP (`-inf` for silence).
    pub true_peak: f64,
}

impl Measured {
    /// Silence (or only sound under ebur128's -70 LUFS gate): there is nothing to normalise.
    pub fn is_silent(&self) -> bool {
        !self.integrated.is_finite()
            || !self.true_peak.is_finite()
            || self.integrated <= SILENT_LUFS
    }
}

/// What the writing pass does to reach the target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gain {
    /// Gain applied to every sample, dB.
    pub db: f64,
    /// The limiter's ceiling, dBFS, when the gain alone would push the true peak over the
    /// target's ceiling.
    pub limit: Option<f64>,
}

impl Gain {
    /// The gain as a factor on samples.
    pub fn linear(&self) -> f32 {
        10f64.powf(self.db / 20.0) as f32
    }
    /// The limiter's ceiling as a sample value.
    pub fn limit_linear(&self) -> Option<f32> {
        self.limit.map(|l| 10f64.powf(l / 20.0) as f32)
    }
}

/// The gain that brings `m` to `target`; `None` for silence, which is left as it is.
pub fn gain_for(m: &Measured, target: Loudness) -> Option<Gain> {
    if m.is_silent() {
        return None;
    }
    let db = target.integrated - m.integrated;
    let limit = (m.true_peak + db > target.true_peak)
        .then_some((target.true_peak - LIMIT_HEADROOM).max(LOWEST_LIMIT));
    Some(Gain { db, limit })
}

/// After measuring what a limited `gain` gave: `None` when it is on target, otherwise the gain
/// raised by the loudness the limiter took away and the limit lowered by any true-peak overshoot.
pub fn retune(gain: &Gain, after: &Measured, target: Loudness) -> Option<Gain> {
    let limit = gain.limit?;
    if after.is_silent() {
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

/// After measuring the written file of a limited `gain`: lossy encoders can overshoot the
/// limiter (MP3's low-pass rings on clicks, by up to a dB), so when the file's true peak is over
/// the ceiling, the same gain with the limit lowered by the overshoot; `None` when it is under.
pub fn lower_limit(gain: &Gain, written: &Measured, target: Loudness) -> Option<Gain> {
    let limit = gain.limit?;
    let over = written.true_peak - target.true_peak;
    (over > 0.0).then(|| Gain {
        limit: Some((limit - over - OVERSHOOT_MARGIN).max(LOWEST_LIMIT)),
        ..*gain
    })
}
