//! Ogg Opus from packets encoded elsewhere (the browser's WebCodecs `AudioEncoder`): the
//! OpusHead the encoder describes, or one with its known delay; granule positions counting the
//! 48 kHz samples of every packet, pre-skip included; the last page's granule ending the
//! stream at pre-skip + the samples given to the encoder, which cuts its last packet's padding
//! (RFC 7845 §4.3–4.5).

use super::ogg::Ogg;
use super::vorbis::opus_samples;
use super::Muxer;
use crate::{EngineError, Packet, Sink};

/// libopus's look-ahead at 48 kHz (`OPUS_GET_LOOKAHEAD`: Fs/400 + Fs/250 = 120 + 192), the
/// pre-skip ffmpeg and Chromium's encoder write; used when the encoder describes none.
pub const OPUS_ENCODER_DELAY: u16 = 312;

/// The writer of one Ogg Opus stream of encoded packets.
pub struct OggOpus {
    channels: u16,
    /// The sound's rate before resampling to 48 kHz, kept in OpusHead for players that show it.
    input_rate: u32,
    ogg: Option<Ogg>,
    pre_skip: u16,
    /// Samples given to the encoder, once they are all given.
    frames: Option<u64>,
    /// Microseconds of the last packet, to refuse packets out of order.
    last_timestamp: Option<f64>,
}

impl OggOpus {
    pub fn new(channels: u16, input_rate: u32) -> Self {
        Self {
            channels,
            input_rate,
            ogg: None,
            pre_skip: OPUS_ENCODER_DELAY,
            frames: None,
            last_timestamp: None,
        }
    }

    /// The pre-skip written (known once the first packet is in).
    pub fn pre_skip(&self) -> u16 {
        self.pre_skip
    }

    /// All `frames` samples (per channel, at 48 kHz) are given to the encoder: packets that
    /// start past them are its padding.
    pub fn input_done(&mut self, frames: u64) {
        self.frames = Some(frames);
    }

    /// The granule at which the stream ends, once known.
    fn end(&self) -> Option<u64> {
        self.frames.map(|f| f + u64::from(self.pre_skip))
    }

    /// One encoded packet, in order, with its timestamp (microseconds) and, on the first,
    /// the encoder's description (its OpusHead), if it gave one.
    pub fn push(
        &mut self,
        data: &[u8],
        timestamp: f64,
        description: Option<&[u8]>,
        sink: &mut dyn Sink,
    ) -> Result<(), EngineError> {
        if self.last_timestamp.is_some_and(|t| timestamp < t) {
            return Err(EngineError::Write(
                "the browser's Opus encoder gave its packets out of order".into(),
            ));
        }
        self.last_timestamp = Some(timestamp);
        if opus_samples(data) == 0 {
            return Err(EngineError::Write(
                "the browser's Opus encoder gave an empty packet".into(),
            ));
        }
        let end = self.end();
        let ogg = self.started(description, sink)?;
        // A packet wholly after the end holds only the encoder's padding.
        if end.is_some_and(|e| ogg.granule() >= e) {
            return Ok(());
        }
        let packet = Packet {
            data: data.to_vec(),
            pts: 0,
            duration: 0,
        };
        ogg.write(&packet, sink)
    }

    /// Ends the stream (an empty one when the encoder gave nothing); returns the seconds the
    /// file plays.
    pub fn finish(&mut self, sink: &mut dyn Sink) -> Result<f64, EngineError> {
        let end = self.end();
        let ogg = self.started(None, sink)?;
        let granule = ogg.granule();
        let last = end.map_or(granule, |e| e.min(granule));
        ogg.end_at(last);
        ogg.finish(sink)?;
        Ok(last.saturating_sub(u64::from(self.pre_skip)) as f64 / 48_000.0)
    }

    /// The Ogg writer, started with the encoder's OpusHead when it is one for these channels,
    /// else with one made here.
    fn started(
        &mut self,
        description: Option<&[u8]>,
        sink: &mut dyn Sink,
    ) -> Result<&mut Ogg, EngineError> {
        if self.ogg.is_none() {
            let head = description
                .filter(|d| d.len() >= 19 && d.starts_with(b"OpusHead"))
                .filter(|d| u16::from(d[9]) == self.channels)
                .map(<[u8]>::to_vec)
                .unwrap_or_else(|| head(self.channels, OPUS_ENCODER_DELAY, self.input_rate));
            self.pre_skip = u16::from_le_bytes([head[10], head[11]]);
            self.ogg = Some(Ogg::opus(head, sink)?);
        }
        self.ogg
            .as_mut()
            .ok_or_else(|| EngineError::Write("the Ogg writer did not start".into()))
    }
}

/// An OpusHead (RFC 7845 §5.1) for mono or stereo: channel mapping family 0, no gain.
pub(crate) fn head(channels: u16, pre_skip: u16, input_rate: u32) -> Vec<u8> {
    let mut out = b"OpusHead".to_vec();
    out.extend_from_slice(&[1, channels.clamp(1, 2) as u8]);
    out.extend_from_slice(&pre_skip.to_le_bytes());
    out.extend_from_slice(&input_rate.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::VecSink;

    /// A 20 ms CELT packet's TOC (config 31, one frame), then filler bytes.
    fn packet() -> Vec<u8> {
        vec![31 << 3, 0xAA, 0x55]
    }

    /// (granule, header type) of each page.
    fn pages(bytes: &[u8]) -> Vec<(u64, u8)> {
        let mut out = Vec::new();
        let mut at = 0;
        while at + 27 <= bytes.len() {
            assert_eq!(&bytes[at..at + 4], b"OggS");
            let granule = u64::from_le_bytes(bytes[at + 6..at + 14].try_into().unwrap());
            let segments = usize::from(bytes[at + 26]);
            let body: usize = bytes[at + 27..at + 27 + segments]
                .iter()
                .map(|b| usize::from(*b))
                .sum();
            out.push((granule, bytes[at + 5]));
            at += 27 + segments + body;
        }
        out
    }

    #[test]
    fn the_last_granule_cuts_the_padding_and_padding_packets_are_dropped() {
        let mut sink = VecSink::default();
        let mut w = OggOpus::new(2, 44_100);
        for i in 0..3 {
            w.push(&packet(), f64::from(i) * 20_000.0, None, &mut sink)
                .unwrap();
        }
        // 2000 samples given: 312 + 2000 = 2312 ends in the third packet; a fourth is padding.
        w.input_done(2000);
        w.push(&packet(), 60_000.0, None, &mut sink).unwrap();
        let seconds = w.finish(&mut sink).unwrap();
        assert!((seconds - 2000.0 / 48_000.0).abs() < 1e-9);
        let p = pages(&sink.0);
        assert_eq!(p.len(), 3, "head, tags, one page of audio: {p:?}");
        assert_eq!(p[2], (2312, 4), "end of stream at pre-skip + samples");
        assert_eq!(&sink.0[28 + 10..28 + 12], &312u16.to_le_bytes(), "pre-skip");
    }

    #[test]
    fn the_encoders_head_is_kept_and_order_is_checked() {
        let mut sink = VecSink::default();
        let mut w = OggOpus::new(1, 48_000);
        let described = head(1, 120, 48_000);
        w.push(&packet(), 0.0, Some(&described), &mut sink).unwrap();
        assert_eq!(w.pre_skip(), 120);
        assert!(w.push(&packet(), -1.0, None, &mut sink).is_err());
        // A head for other channels than the PCM's is not believed.
        let mut other = OggOpus::new(2, 48_000);
        other
            .push(&packet(), 0.0, Some(&described), &mut VecSink::default())
            .unwrap();
        assert_eq!(other.pre_skip(), OPUS_ENCODER_DELAY);
    }
}
