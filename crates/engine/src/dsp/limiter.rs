//! A look-ahead true-peak limiter. Peaks are found 4× oversampled with the same 48-tap
//! windowed-sinc interpolator BS.1770 true-peak meters use (libebur128's), so what the meter
//! would call a peak is what the limiter holds; the gain reaches its floor before the peak
//! arrives (a min-hold over the look-ahead, smoothed by a moving average no longer than it)
//! and recovers with a 50 ms release.

use std::collections::VecDeque;
use std::f64::consts::PI;

/// Look-ahead, seconds (ffmpeg's alimiter attack default).
const LOOKAHEAD: f64 = 0.005;
/// Release time constant, seconds (alimiter's default).
const RELEASE: f64 = 0.05;
/// Taps per phase of the 4× interpolator (48 in all).
const TAPS: usize = 12;
/// The interpolator's delay in input samples, rounded up: the audio is held back this much
/// more than the look-ahead so the gain still covers a peak found late.
const DETECT_DELAY: usize = 8;

/// The limiter for one stream.
pub struct Limiter {
    channels: usize,
    ceiling: f32,
    lookahead: usize,
    release: f32,
    filter: [[f32; 4]; TAPS],
    /// Per channel, the last TAPS input samples, newest first.
    history: Vec<[f32; TAPS]>,
    /// Delayed interleaved audio.
    delay: VecDeque<f32>,
    /// (index, required gain) of the min-hold window, increasing gains.
    hold: VecDeque<(u64, f32)>,
    /// The last `lookahead` held gains and their sum (moving average).
    avg: VecDeque<f32>,
    avg_sum: f64,
    gain: f32,
    index: u64,
}

impl Limiter {
    /// `ceiling`: linear true-peak ceiling.
    pub fn new(sample_rate: u32, channels: u16, ceiling: f32) -> Self {
        let mut filter = [[0f32; 4]; TAPS];
        let window = (TAPS * 4) as f64;
        for (j, c) in filter.iter_mut().flat_map(|t| t.iter_mut()).enumerate() {
            let j = j as f64;
            let w = 0.5 * (1.0 - (2.0 * PI * j / window).cos());
            let m = j - window / 2.0;
            *c = if m.abs() > 1e-6 {
                w * (m * PI / 4.0).sin() / (m * PI / 4.0)
            } else {
                w
            } as f32;
        }
        let rate = f64::from(sample_rate);
        let channels = usize::from(channels.max(1));
        Self {
            channels,
            ceiling,
            lookahead: ((LOOKAHEAD * rate) as usize).max(1),
            release: (1.0 - (-1.0 / (RELEASE * rate)).exp()) as f32,
            filter,
            history: vec![[0.0; TAPS]; channels],
            delay: VecDeque::new(),
            hold: VecDeque::new(),
            avg: VecDeque::new(),
            avg_sum: 0.0,
            gain: 1.0,
            index: 0,
        }
    }

    /// Frames of delay between input and output.
    fn latency(&self) -> usize {
        self.lookahead + DETECT_DELAY
    }

    /// Limits interleaved `input`, appending ready output to `out`.
    pub fn process(&mut self, input: &[f32], out: &mut Vec<f32>) {
        for frame in input.chunks_exact(self.channels) {
            self.push(frame, out);
        }
    }

    /// Outputs the delayed tail.
    pub fn finish(&mut self, out: &mut Vec<f32>) {
        let zeros = vec![0.0; self.channels];
        let pending = self.delay.len() / self.channels;
        for _ in 0..pending.min(self.latency()) {
            self.push(&zeros, out);
        }
        // The zeros pushed above are still in the delay line: never output.
        self.delay.clear();
    }

    fn push(&mut self, frame: &[f32], out: &mut Vec<f32>) {
        // The highest sample or inter-sample peak this frame reveals.
        let mut peak = 0f32;
        for (c, &s) in frame.iter().enumerate() {
            let h = &mut self.history[c];
            h.copy_within(0..TAPS - 1, 1);
            h[0] = s;
            peak = peak.max(s.abs());
            for phase in 0..4 {
                let v: f32 = (0..TAPS).map(|k| self.filter[k][phase] * h[k]).sum();
                peak = peak.max(v.abs());
            }
        }
        let need = if peak > self.ceiling {
            self.ceiling / peak
        } else {
            1.0
        };
        // Min over the last lookahead + DETECT_DELAY + 1 frames.
        let i = self.index;
        self.index += 1;
        while self.hold.back().is_some_and(|&(_, g)| g >= need) {
            self.hold.pop_back();
        }
        self.hold.push_back((i, need));
        let span = (self.latency() + 1) as u64;
        while self.hold.front().is_some_and(|&(j, _)| j + span <= i) {
            self.hold.pop_front();
        }
        let held = self.hold.front().map_or(1.0, |&(_, g)| g);
        self.avg.push_back(held);
        self.avg_sum += f64::from(held);
        if self.avg.len() > self.lookahead {
            self.avg_sum -= f64::from(self.avg.pop_front().unwrap_or(1.0));
        }
        let smooth = (self.avg_sum / self.avg.len() as f64) as f32;
        // Fall at once to what the smoothed hold asks; rise no faster than the release.
        self.gain = smooth.min(self.gain + (1.0 - self.gain) * self.release);

        self.delay.extend(frame.iter().copied());
        if self.delay.len() / self.channels > self.latency() {
            for _ in 0..self.channels {
                let s = self.delay.pop_front().unwrap_or(0.0);
                out.push(s * self.gain);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tone at a quarter of the rate, sampled 45° off its crests: every sample is at 0.707
    /// of the true peak, the case a sample-peak limiter misses.
    fn intersample(amplitude: f32, frames: usize) -> Vec<f32> {
        (0..frames)
            .flat_map(|i| {
                let v = amplitude * (std::f32::consts::FRAC_PI_2 * i as f32 + 0.785).sin();
                [v, v]
            })
            .collect()
    }

    #[test]
    fn true_peaks_stay_under_the_ceiling_and_the_length_is_kept() {
        let input = intersample(2.0, 48_000);
        let mut limiter = Limiter::new(48_000, 2, 0.5);
        let mut out = Vec::new();
        for chunk in input.chunks(1000) {
            limiter.process(chunk, &mut out);
        }
        limiter.finish(&mut out);
        assert_eq!(out.len(), input.len());
        let mut meter = ebur128::EbuR128::new(2, 48_000, ebur128::Mode::TRUE_PEAK).unwrap();
        meter.add_frames_f32(&out).unwrap();
        let peak = meter.true_peak(0).unwrap();
        assert!(peak <= 0.5 * 1.012, "true peak {peak}");
        // Held, not silenced: the steady part sits at the ceiling.
        let tail = &out[48_000..];
        let sample_peak = tail.iter().fold(0f32, |m, v| m.max(v.abs()));
        assert!(sample_peak > 0.3, "{sample_peak}");
    }

    #[test]
    fn quiet_sound_passes_unchanged_after_the_delay() {
        let input = intersample(0.1, 4_800);
        let mut limiter = Limiter::new(48_000, 2, 0.5);
        let mut out = Vec::new();
        limiter.process(&input, &mut out);
        limiter.finish(&mut out);
        assert_eq!(out, input);
    }
}
