//! AAC-LC in an .m4a with rusty_aac's encoder (pure Rust, the crate that decodes AAC here;
//! chosen over WebCodecs' `AudioEncoder`, which Debian's Chromium and Firefox ESR lack for
//! AAC, by the measurement in `tests/codec_aac.rs`, whose figures are in docs/DESIGN.md).
//!
//! rusty_aac encodes a whole buffered stream at `finish`; a long track is therefore encoded in
//! segments of [`SEGMENT`] frames, so memory stays bounded whatever the length. Its frames are
//! independent once their window sequences are known, and a frame's window sequence depends
//! only on the transients of the frames around it; each segment is given [`CONTEXT`] frames of
//! the sound before and after it, and only its own frames are kept, so the segments join into
//! the stream one long encode would have made (tests/codec_aac.rs checks it byte for byte).

use rusty_aac::{AacEncoderConfig, Error as AacError};

use super::Encoder;
use crate::mux::M4a;
use crate::{AudioTrack, Codec, EngineError, Packet, Sink};

/// Samples per AAC frame.
const FRAME: usize = 1024;
/// Frames encoded per segment: 256 frames are 5.5 s at 48 kHz, 2 MB of stereo `f32`.
const SEGMENT: usize = 256;
/// Frames of sound on each side of a segment that settle its edges' window sequences (the
/// transient detector's running average forgets 0.75 per 128 samples: after 4 frames, 1e-4).
const CONTEXT: usize = 4;
/// The sample rates AAC has.
const RATES: [u32; 12] = [
    8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000, 64_000, 88_200, 96_000,
];
/// Channels rusty_aac writes (1–6, the standard channel configurations).
pub const MAX_CHANNELS: u16 = 6;

/// The rate an AAC is written at for a wanted rate: the next one AAC has (96 kHz at most).
pub fn aac_sample_rate(wanted: u32) -> u32 {
    RATES.into_iter().find(|r| *r >= wanted).unwrap_or(96_000)
}

/// An M4A (AAC-LC) writer.
pub struct AacEncoder {
    sample_rate: u32,
    channels: u16,
    bitrate: u32,
    mux: Option<M4a>,
    track: AudioTrack,
    /// Interleaved samples not yet encoded, after `context` frames already encoded.
    pending: Vec<f32>,
    context: usize,
    /// Frames given in all, and AAC frames written.
    frames_in: u64,
    pts: i64,
}

fn fail(e: AacError) -> EngineError {
    EngineError::Write(format!("AAC: {e}"))
}

impl AacEncoder {
    /// `sample_rate` one of AAC's (see [`aac_sample_rate`]), `channels` 1–6, `kbps` the target.
    pub fn new(kbps: u32, sample_rate: u32, channels: u16) -> Result<Self, EngineError> {
        if !(1..=MAX_CHANNELS).contains(&channels) || !RATES.contains(&sample_rate) {
            return Err(EngineError::Unsupported(format!(
                "AAC of {channels} channels at {sample_rate} Hz is made by the server"
            )));
        }
        let bitrate = kbps.saturating_mul(1000);
        let track = AudioTrack {
            index: 0,
            codec: Codec::Aac,
            sample_rate,
            channels,
            language: None,
            codec_private: rusty_aac::audio_specific_config_bytes(sample_rate, channels),
            timescale: sample_rate,
            duration: None,
            bit_rate: Some(u64::from(bitrate)),
            // The decoder's first frame is the MDCT's overlap with silence.
            priming: FRAME as u32,
        };
        Ok(Self {
            sample_rate,
            channels,
            bitrate,
            mux: None,
            track,
            pending: Vec::new(),
            context: 0,
            frames_in: 0,
            pts: 0,
        })
    }

    fn mux(&mut self, sink: &mut dyn Sink) -> Result<&mut M4a, EngineError> {
        if self.mux.is_none() {
            self.mux = Some(M4a::start(&self.track, true, sink)?);
        }
        self.mux
            .as_mut()
            .ok_or_else(|| EngineError::Write("AAC: no muxer".into()))
    }

    /// Encodes `pending`'s first `frames` sample frames (all when `None`, with the stream's
    /// final flush frame) and writes its AAC frames `context..context + keep` (all after
    /// `context` when `None`).
    fn encode_segment(
        &mut self,
        frames: Option<usize>,
        keep: Option<usize>,
        sink: &mut dyn Sink,
    ) -> Result<(), EngineError> {
        let ch = usize::from(self.channels);
        let end = frames.map_or(self.pending.len(), |f| (f * ch).min(self.pending.len()));
        let mut inner = rusty_aac::AacEncoder::new(AacEncoderConfig {
            bitrate_bps: self.bitrate,
            ..AacEncoderConfig::default()
        });
        inner
            .push_pcm(&self.pending[..end], self.channels, self.sample_rate)
            .map_err(fail)?;
        inner.finish();
        let (skip, keep) = (self.context, keep.unwrap_or(usize::MAX));
        let mut index = 0usize;
        loop {
            let packet = match inner.next_packet() {
                Ok(p) => p,
                Err(AacError::Eof) => return Ok(()),
                Err(e) => return Err(fail(e)),
            };
            if index >= skip && index - skip < keep {
                let packet = Packet {
                    data: packet.data,
                    pts: self.pts,
                    duration: FRAME as u32,
                };
                self.pts += FRAME as i64;
                crate::mux::Muxer::write(self.mux(sink)?, &packet, sink)?;
            }
            index += 1;
        }
    }
}

impl Encoder for AacEncoder {
    fn encode(&mut self, samples: &[f32], sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.mux(sink)?;
        let ch = usize::from(self.channels);
        self.pending.extend_from_slice(samples);
        self.frames_in += (samples.len() / ch) as u64;
        // A segment is written once the context after it is here too.
        while self.pending.len() / ch >= (self.context + SEGMENT + CONTEXT) * FRAME {
            let frames = (self.context + SEGMENT + CONTEXT) * FRAME;
            self.encode_segment(Some(frames), Some(SEGMENT), sink)?;
            let done = (self.context + SEGMENT - CONTEXT) * FRAME * ch;
            self.pending.drain(..done);
            self.context = CONTEXT;
        }
        Ok(())
    }

    fn finish(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.mux(sink)?;
        self.encode_segment(None, None, sink)?;
        self.pending = Vec::new();
        let frames = self.frames_in;
        let mux = self.mux(sink)?;
        // The edit list shows exactly the frames given: priming and the last frame's padding
        // are hidden, so players and ffmpeg give the input's length.
        mux.set_length(frames);
        crate::mux::Muxer::finish(mux, sink)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VecSink;

    /// A 12 s chirp with bursts of noise (transients), stereo 48 kHz.
    fn sound() -> Vec<f32> {
        let mut seed = 1u32;
        (0..12 * 48_000)
            .flat_map(|i| {
                let t = i as f32 / 48_000.0;
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let noise = (seed >> 8) as f32 / (1 << 24) as f32 - 0.5;
                let burst = if (t * 3.0).fract() < 0.02 { noise } else { 0.0 };
                let s = 0.3 * (2.0 * std::f32::consts::PI * (200.0 + 100.0 * t) * t).sin() + burst;
                [s, 0.5 * s]
            })
            .collect()
    }

    #[test]
    fn segments_join_into_the_stream_one_encode_makes() {
        let pcm = sound();
        let mut whole = rusty_aac::AacEncoder::new(AacEncoderConfig {
            bitrate_bps: 128_000,
            ..AacEncoderConfig::default()
        });
        whole.push_pcm(&pcm, 2, 48_000).unwrap();
        whole.finish();
        let mut expected = Vec::new();
        let mut count = 0;
        while let Ok(p) = whole.next_packet() {
            expected.extend_from_slice(&p.data);
            count += 1;
        }
        let mut enc = AacEncoder::new(128, 48_000, 2).unwrap();
        let mut sink = VecSink::default();
        // In uneven pieces, as the chain gives them.
        for piece in pcm.chunks(2 * 3_000) {
            enc.encode(piece, &mut sink).unwrap();
        }
        enc.finish(&mut sink).unwrap();
        assert_eq!(enc.pts, count * FRAME as i64);
        // ftyp (28) and the mdat header (16), then the frames.
        let data = &sink.0[44..44 + expected.len()];
        let first_diff = data.iter().zip(&expected).position(|(a, b)| a != b);
        assert_eq!(first_diff, None, "of {} bytes", expected.len());
    }
}
