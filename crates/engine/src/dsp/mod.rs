//! Sound processing between decoder and encoder: trims, resampling, channel mixing, loudness.
