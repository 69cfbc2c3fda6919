//! What an Ogg writer needs to know of Opus and Vorbis packets: their three (Vorbis) or two
//! (Opus) header packets, and how many samples each audio packet decodes to (the granule
//! positions), as ffmpeg's `vorbis_parser` and RFC 6716 §3.1 compute them.

use crate::{AudioTrack, EngineError};

/// Samples at 48 kHz an Opus packet decodes to (RFC 6716 §3.1, the TOC byte).
pub(crate) fn opus_samples(packet: &[u8]) -> u64 {
    let Some(&toc) = packet.first() else { return 0 };
    let config = toc >> 3;
    // Frame length in 1/400 s units of 120 samples... expressed directly in samples at 48 kHz.
    let frame = match config {
        0..=11 => [480, 960, 1920, 2880][usize::from(config % 4)],
        12..=15 => [480, 960][usize::from(config % 2)],
        _ => [120, 240, 480, 960][usize::from(config % 4)],
    };
    let frames = match toc & 3 {
        0 => 1,
        1 | 2 => 2,
        _ => packet.get(1).map(|b| u64::from(b & 0x3F)).unwrap_or(0),
    };
    frames * frame
}

/// The OpusHead of a track: its set-up bytes, or one made from what the container says.
pub(crate) fn opus_head(track: &AudioTrack) -> Vec<u8> {
    if track.codec_private.starts_with(b"OpusHead") {
        return track.codec_private.clone();
    }
    let priming = u16::try_from(track.priming).unwrap_or(u16::MAX);
    super::ogg_opus::head(track.channels, priming, track.sample_rate)
}

/// The three Vorbis header packets, from Matroska's Xiph-laced CodecPrivate.
pub(crate) fn vorbis_headers(private: &[u8]) -> Result<[Vec<u8>; 3], EngineError> {
    let bad = || EngineError::Unreadable("the Vorbis headers are damaged".into());
    if private.first() != Some(&2) {
        return Err(bad());
    }
    let mut at = 1;
    let mut sizes = [0usize; 2];
    for size in &mut sizes {
        loop {
            let b = *private.get(at).ok_or_else(bad)?;
            at += 1;
            *size += usize::from(b);
            if b < 255 {
                break;
            }
        }
    }
    let first = private.get(at..at + sizes[0]).ok_or_else(bad)?;
    let second = private
        .get(at + sizes[0]..at + sizes[0] + sizes[1])
        .ok_or_else(bad)?;
    let third = private.get(at + sizes[0] + sizes[1]..).ok_or_else(bad)?;
    if !first.starts_with(b"\x01vorbis") || !third.starts_with(b"\x05vorbis") {
        return Err(bad());
    }
    Ok([first.to_vec(), second.to_vec(), third.to_vec()])
}

/// Reads bits backwards from the end of a Vorbis setup header.
struct Backwards<'a> {
    data: &'a [u8],
    /// Bits consumed from the end.
    at: usize,
}

impl Backwards<'_> {
    fn left(&self) -> usize {
        self.data.len() * 8 - self.at
    }
    fn bit(&mut self) -> u32 {
        let byte = self.data.len() - 1 - self.at / 8;
        let bit = 7 - (self.at % 8);
        self.at += 1;
        u32::from(self.data[byte] >> bit & 1)
    }
    fn bits(&mut self, n: usize) -> u32 {
        (0..n).fold(0, |acc, _| (acc << 1) | self.bit())
    }
}

/// Block sizes per mode of a Vorbis stream, to know each packet's length in samples.
pub(crate) struct VorbisBlocks {
    sizes: [u64; 2],
    /// Whether each mode uses the long block.
    long: Vec<bool>,
    mode_bits: u32,
    previous: Option<u64>,
}

impl VorbisBlocks {
    /// From the identification and setup headers. The mode table is found from the end of the
    /// setup header (its framing bit), the way ffmpeg and liboggz do, without decoding the
    /// codebooks before it.
    pub fn new(id: &[u8], setup: &[u8]) -> Result<Self, EngineError> {
        let bad = || EngineError::Unreadable("the Vorbis setup header is damaged".into());
        let b = *id.get(28).ok_or_else(bad)?;
        let sizes = [1u64 << (b & 0x0F), 1u64 << (b >> 4)];
        let mut r = Backwards { data: setup, at: 0 };
        let mut framing = None;
        while r.left() > 97 {
            if r.bit() == 1 {
                framing = Some(r.at);
                break;
            }
        }
        let framing = framing.ok_or_else(bad)?;
        let mut count = 0;
        let mut found = None;
        while r.left() >= 97 {
            if r.bits(8) > 63 || r.bits(16) != 0 || r.bits(16) != 0 {
                break;
            }
            r.bit();
            count += 1;
            if count > 64 {
                break;
            }
            let mut peek = Backwards {
                data: setup,
                at: r.at,
            };
            if peek.left() >= 6 && peek.bits(6) + 1 == count {
                found = Some(count);
            }
        }
        let count = found.ok_or_else(bad)?;
        let mut r = Backwards {
            data: setup,
            at: framing,
        };
        let mut long = vec![false; count as usize];
        for i in (0..count as usize).rev() {
            r.bits(40);
            long[i] = r.bit() == 1;
        }
        let mode_bits = 32 - (count - 1).leading_zeros();
        Ok(Self {
            sizes,
            long,
            mode_bits,
            previous: None,
        })
    }

    /// Samples a packet adds (the first packet adds none).
    pub fn samples(&mut self, packet: &[u8]) -> u64 {
        let Some(&first) = packet.first() else {
            return 0;
        };
        if first & 1 != 0 {
            return 0;
        }
        let mode = (u32::from(first) >> 1) & ((1 << self.mode_bits) - 1);
        let long = self.long.get(mode as usize).copied().unwrap_or(false);
        let size = self.sizes[usize::from(long)];
        let out = self.previous.map(|p| (p + size) / 4).unwrap_or(0);
        self.previous = Some(size);
        out
    }
}
