//! Sample-exact trims: which decoded frames are kept, from each packet's position.
//!
//! Positions count decoded frames from the track's first sample (including the encoder's
//! priming); the first packet seen (after a seek, not the track's first) is placed by its
//! timestamp, later ones by counting, so a container's rounded timestamps never shift a cut.

/// Keeps output frames `[start, end)` of a track whose first `priming` decoded frames are
/// encoder delay.
#[derive(Debug, Clone)]
pub struct Trim {
    /// In decoded frames, priming included.
    keep_from: u64,
    keep_to: Option<u64>,
    /// Decoded frame position of the next packet's first frame, once placed.
    position: Option<u64>,
}

impl Trim {
    /// `range`: seconds of output (after priming); `rate`: the decoder's output rate.
    pub fn new(priming: u64, range: Option<(f64, f64)>, rate: u32) -> Self {
        let at = |s: f64| priming + (s.max(0.0) * f64::from(rate)).round() as u64;
        let (keep_from, keep_to) = match range {
            Some((start, end)) => (at(start), Some(at(end))),
            None => (priming, None),
        };
        Self {
            keep_from,
            keep_to,
            position: None,
        }
    }

    /// Places the next packet at `seconds` (its timestamp) unless packets were counted already.
    pub fn place(&mut self, seconds: f64, rate: u32) {
        if self.position.is_none() {
            self.position = Some((seconds.max(0.0) * f64::from(rate)).round() as u64);
        }
    }

    /// For a packet that decoded to `frames`: the range of them to keep (possibly empty).
    pub fn keep(&mut self, frames: usize) -> std::ops::Range<usize> {
        let at = self.position.unwrap_or(0);
        self.position = Some(at + frames as u64);
        let from = self.keep_from.saturating_sub(at).min(frames as u64) as usize;
        let to = match self.keep_to {
            Some(end) => end.saturating_sub(at).min(frames as u64) as usize,
            None => frames,
        };
        from..to.max(from)
    }

    /// Whether every frame to keep has gone by.
    pub fn done(&self) -> bool {
        matches!((self.keep_to, self.position), (Some(end), Some(at)) if at >= end)
    }
}
