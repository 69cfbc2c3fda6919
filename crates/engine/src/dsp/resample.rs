//! Sample-rate conversion with rubato's FFT resampler (a fixed ratio, band-limited with a
//! Blackman-Harris window), streamed in chunks: its start-up delay is dropped and the output
//! is exactly `input × ratio` frames long.

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler as _};

use crate::EngineError;

/// Input frames per chunk.
const CHUNK: usize = 1024;

fn fail(e: impl std::fmt::Display) -> EngineError {
    EngineError::Unsupported(format!("resampling: {e}"))
}

/// A streaming resampler.
pub struct Resampler {
    inner: Fft<f32>,
    channels: usize,
    ratio: f64,
    /// Interleaved input not yet resampled.
    pending: Vec<f32>,
    scratch: Vec<f32>,
    /// Output frames still to drop (the resampler's delay).
    delay: usize,
    frames_in: u64,
    frames_out: u64,
}

impl Resampler {
    pub fn new(from: u32, to: u32, channels: u16) -> Result<Self, EngineError> {
        let channels = usize::from(channels.max(1));
        let inner = Fft::<f32>::new(
            from as usize,
            to as usize,
            CHUNK,
            channels,
            FixedSync::Input,
        )
        .map_err(fail)?;
        let delay = inner.output_delay();
        let scratch = vec![0.0; inner.output_frames_max() * channels];
        Ok(Self {
            inner,
            channels,
            ratio: f64::from(to) / f64::from(from),
            pending: Vec::new(),
            scratch,
            delay,
            frames_in: 0,
            frames_out: 0,
        })
    }

    /// Resamples `input`, appending what is ready to `out`.
    pub fn process(&mut self, input: &[f32], out: &mut Vec<f32>) -> Result<(), EngineError> {
        self.frames_in += (input.len() / self.channels) as u64;
        self.pending.extend_from_slice(input);
        let mut used = 0;
        loop {
            let need = self.inner.input_frames_next();
            let available = (self.pending.len() - used) / self.channels;
            if available < need {
                break;
            }
            used += self.chunk(used, None, out)? * self.channels;
        }
        self.pending.drain(..used);
        Ok(())
    }

    /// Resamples what is left, padding with silence, and cuts the output to length.
    pub fn finish(&mut self, out: &mut Vec<f32>) -> Result<(), EngineError> {
        let expected = (self.frames_in as f64 * self.ratio).round() as u64;
        let left = self.pending.len() / self.channels;
        if left > 0 {
            self.chunk(0, Some(left), out)?;
            self.pending.clear();
        }
        // Bounded: each empty chunk yields output, and the delay is finite.
        let mut rounds = 0;
        while self.frames_out < expected && rounds < 64 {
            self.chunk(0, Some(0), out)?;
            rounds += 1;
        }
        let extra = self.frames_out.saturating_sub(expected) as usize * self.channels;
        out.truncate(out.len().saturating_sub(extra));
        self.frames_out = self.frames_out.min(expected);
        Ok(())
    }

    /// One chunk from `pending[offset..]` (`partial`: fewer frames than a chunk, zero-padded);
    /// returns the input frames used.
    fn chunk(
        &mut self,
        offset: usize,
        partial: Option<usize>,
        out: &mut Vec<f32>,
    ) -> Result<usize, EngineError> {
        let need = self.inner.input_frames_next();
        let ch = self.channels;
        let mut padded = Vec::new();
        let input: &[f32] = match partial {
            Some(n) => {
                padded.resize(need * ch, 0.0);
                let n = n.min(need);
                padded[..n * ch].copy_from_slice(&self.pending[offset..offset + n * ch]);
                &padded
            }
            None => &self.pending[offset..offset + need * ch],
        };
        let frames_out_max = self.scratch.len() / ch;
        let adapter_in = InterleavedSlice::new(input, ch, need).map_err(fail)?;
        let mut adapter_out =
            InterleavedSlice::new_mut(&mut self.scratch, ch, frames_out_max).map_err(fail)?;
        let (used, made) = self
            .inner
            .process_into_buffer(&adapter_in, &mut adapter_out, None::<&Indexing>)
            .map_err(fail)?;
        let skip = self.delay.min(made);
        self.delay -= skip;
        out.extend_from_slice(&self.scratch[skip * ch..made * ch]);
        self.frames_out += (made - skip) as u64;
        Ok(used)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_is_exactly_as_long_as_the_ratio_says_and_keeps_the_tone_in_place() {
        let frames = 44_100 + 333;
        let input: Vec<f32> = (0..frames)
            .map(|i| (2.0 * std::f32::consts::PI * 1000.0 * i as f32 / 44_100.0).sin())
            .collect();
        let mut r = Resampler::new(44_100, 48_000, 1).unwrap();
        let mut out = Vec::new();
        for chunk in input.chunks(777) {
            r.process(chunk, &mut out).unwrap();
        }
        r.finish(&mut out).unwrap();
        assert_eq!(
            out.len(),
            (frames as f64 * 48_000.0 / 44_100.0).round() as usize
        );
        // No delay: sample i of the output is the tone at i / 48000 s.
        for i in (1000..2000).step_by(97) {
            let want = (2.0 * std::f32::consts::PI * 1000.0 * i as f32 / 48_000.0).sin();
            assert!((out[i] - want).abs() < 0.01, "{i}: {} vs {want}", out[i]);
        }
    }
}
