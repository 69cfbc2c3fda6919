//! Streams written as the packets are: MP3 (frames back to back), FLAC ("fLaC", the metadata
//! blocks, the frames) and WAV (a RIFF header, then the samples).

use super::Muxer;
use crate::{AudioTrack, EngineError, Packet, Sink};

/// A head, then the packets' bytes as they are.
pub(crate) struct Raw;

impl Raw {
    pub fn start(head: &[u8], sink: &mut dyn Sink) -> Result<Self, EngineError> {
        if !head.is_empty() {
            sink.write(head)?;
        }
        Ok(Self)
    }
}

impl Muxer for Raw {
    fn write(&mut self, packet: &Packet, sink: &mut dyn Sink) -> Result<(), EngineError> {
        sink.write(&packet.data)
    }
    fn finish(&mut self, _sink: &mut dyn Sink) -> Result<(), EngineError> {
        Ok(())
    }
}

/// The head of a .flac file from the track's set-up bytes: "fLaC" and metadata blocks
/// (Matroska's CodecPrivate, MP4's dfLa as the demuxer gives it), or a bare STREAMINFO. The
/// last block is marked last, as a file of its own needs.
pub(crate) fn flac_head(private: &[u8]) -> Result<Vec<u8>, EngineError> {
    let mut out = if private.starts_with(b"fLaC") {
        private.to_vec()
    } else if private.len() == 34 {
        [b"fLaC".as_slice(), &[0x80, 0, 0, 34], private].concat()
    } else {
        return Err(EngineError::Unreadable(
            "FLAC without its STREAMINFO".into(),
        ));
    };
    let mut at = 4;
    let mut last = None;
    while at + 4 <= out.len() {
        last = Some(at);
        let len = u32::from_be_bytes([0, out[at + 1], out[at + 2], out[at + 3]]) as usize;
        if out[at] & 0x80 != 0 {
            break;
        }
        at += 4 + len;
    }
    match last {
        Some(at) if at + 4 <= out.len() => {
            out[at] |= 0x80;
            let len = u32::from_be_bytes([0, out[at + 1], out[at + 2], out[at + 3]]) as usize;
            out.truncate((at + 4 + len).min(out.len()));
            Ok(out)
        }
        _ => Err(EngineError::Unreadable(
            "FLAC without its STREAMINFO".into(),
        )),
    }
}

/// A WAV file of little-endian PCM: the 44-byte header is the first write, patched at the end
/// with the lengths.
pub(crate) struct Wav {
    header: Vec<u8>,
    data_len: u64,
}

impl Wav {
    pub fn start(
        track: &AudioTrack,
        bits: u16,
        float: bool,
        sink: &mut dyn Sink,
    ) -> Result<Self, EngineError> {
        let block = u32::from(track.channels) * u32::from(bits / 8);
        let mut h = Vec::with_capacity(44);
        h.extend_from_slice(b"RIFF\0\0\0\0WAVEfmt ");
        h.extend_from_slice(&16u32.to_le_bytes());
        h.extend_from_slice(&(if float { 3u16 } else { 1 }).to_le_bytes());
        h.extend_from_slice(&track.channels.to_le_bytes());
        h.extend_from_slice(&track.sample_rate.to_le_bytes());
        h.extend_from_slice(&(track.sample_rate.saturating_mul(block)).to_le_bytes());
        h.extend_from_slice(&(block as u16).to_le_bytes());
        h.extend_from_slice(&bits.to_le_bytes());
        h.extend_from_slice(b"data\0\0\0\0");
        sink.write(&h)?;
        Ok(Self {
            header: h,
            data_len: 0,
        })
    }
}

impl Muxer for Wav {
    fn write(&mut self, packet: &Packet, sink: &mut dyn Sink) -> Result<(), EngineError> {
        self.data_len += packet.data.len() as u64;
        sink.write(&packet.data)
    }
    fn finish(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        // RIFF sizes are 32-bit: past 4 GB they are left at their maximum, as ffmpeg does.
        let data = u32::try_from(self.data_len).unwrap_or(u32::MAX);
        self.header[4..8].copy_from_slice(&data.saturating_add(36).to_le_bytes());
        self.header[40..44].copy_from_slice(&data.to_le_bytes());
        sink.patch_head(&self.header)
    }
}

/// Samples in a FLAC frame, from its header (the containers that give no packet duration,
/// Matroska's SimpleBlocks, leave it to the frame); 0 when it is not a frame header.
pub(crate) fn flac_samples(frame: &[u8]) -> u32 {
    if frame.len() < 5 || frame[0] != 0xFF || frame[1] & 0xFE != 0xF8 {
        return 0;
    }
    let code = frame[2] >> 4;
    match code {
        1 => 192,
        2..=5 => 576 << (code - 2),
        8..=15 => 256 << (code - 8),
        6 | 7 => {
            // The size follows the frame or sample number, UTF-8-coded: its first byte's
            // leading ones are its length.
            let at = 4 + (frame[4].leading_ones() as usize).max(1);
            match (code, frame.get(at), frame.get(at + 1)) {
                (6, Some(&b), _) => u32::from(b) + 1,
                (7, Some(&hi), Some(&lo)) => u32::from(u16::from_be_bytes([hi, lo])) + 1,
                _ => 0,
            }
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::flac_samples;

    #[test]
    fn flac_frame_sizes() {
        // ffmpeg's 4608-sample frames say it with code 7 after a one-byte frame number.
        assert_eq!(
            flac_samples(&[0xFF, 0xF8, 0x79, 0x08, 0x05, 0x11, 0xFF, 0]),
            4608
        );
        assert_eq!(flac_samples(&[0xFF, 0xF8, 0xC9, 0x08, 0x00, 0]), 4096);
        assert_eq!(
            flac_samples(&[0xFF, 0xF8, 0x69, 0x08, 0xC2, 0x80, 0x0F, 0]),
            16
        );
        assert_eq!(flac_samples(b"not a frame"), 0);
        assert_eq!(flac_samples(&[0xFF, 0xF8, 0x79, 0x08]), 0);
    }
}
