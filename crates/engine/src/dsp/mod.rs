//! Sound processing between decoder and encoder: trims, resampling, channel mixing, loudness.

pub mod limiter;
pub mod loudness;
pub mod mix;
pub mod resample;
pub mod trim;
