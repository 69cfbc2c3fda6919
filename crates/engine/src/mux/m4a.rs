//! AAC and ALAC → .m4a. One pass: `ftyp` and a 64-bit `mdat` header are the first write, the
//! packets follow as they come, and the `moov` (whose sample sizes are known only then) is
//! appended at the end, with the `mdat` size patched into the head. A moov-last file plays
//! everywhere from a local file; moving it first would need a second pass over the output,
//! which an append-only sink of Blob parts does not have.

use super::Muxer;
use crate::{AudioTrack, Codec, EngineError, Packet, Sink};

/// A box of `kind` around `parts`.
fn bx(kind: &[u8; 4], parts: &[&[u8]]) -> Vec<u8> {
    let len: usize = parts.iter().map(|p| p.len()).sum::<usize>() + 8;
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(&(len as u32).to_be_bytes());
    out.extend_from_slice(kind);
    for p in parts {
        out.extend_from_slice(p);
    }
    out
}

/// A full box: version 0, `flags`.
fn full(kind: &[u8; 4], flags: u32, parts: &[&[u8]]) -> Vec<u8> {
    let vf = flags.to_be_bytes();
    let mut all: Vec<&[u8]> = vec![&vf];
    all.extend_from_slice(parts);
    bx(kind, &all)
}

/// An MPEG-4 descriptor.
fn descriptor(tag: u8, body: &[u8]) -> Vec<u8> {
    let n = body.len() as u32;
    let mut out = vec![
        tag,
        0x80 | ((n >> 21) & 0x7F) as u8,
        0x80 | ((n >> 14) & 0x7F) as u8,
        0x80 | ((n >> 7) & 0x7F) as u8,
        (n & 0x7F) as u8,
    ];
    out.extend_from_slice(body);
    out
}

const FTYP: &[u8] = b"\0\0\0\x1cftypM4A \0\0\x02\0M4A isomiso2";
/// `ftyp` then the `mdat` header with a 64-bit size.
const HEAD_LEN: usize = 28 + 16;

pub(crate) struct M4a {
    track: AudioTrack,
    /// Timescale of the output's durations.
    timescale: u32,
    /// Fixed samples per packet when the input's durations are not in samples (Matroska).
    fixed: Option<u32>,
    priming: u32,
    sizes: Vec<u32>,
    /// (count, duration) runs.
    durations: Vec<(u32, u32)>,
    data_len: u64,
    /// Samples shown, when the caller knows them (an encode: its last frame's padding hidden).
    length: Option<u64>,
}

impl M4a {
    pub fn start(
        track: &AudioTrack,
        from_start: bool,
        sink: &mut dyn Sink,
    ) -> Result<Self, EngineError> {
        if track.codec_private.is_empty() {
            return Err(EngineError::Unsupported(
                "the track has no decoder configuration to write into an .m4a".into(),
            ));
        }
        let mut track = track.clone();
        // ffmpeg's ALAC extradata is the whole 36-byte `alac` atom; the box wants its config.
        if track.codec == Codec::Alac
            && track.codec_private.len() >= 36
            && &track.codec_private[4..8] == b"alac"
        {
            track.codec_private = track.codec_private[12..36].to_vec();
        }
        let in_samples = track.timescale == track.sample_rate;
        let fixed = match &track.codec {
            _ if in_samples => None,
            Codec::Alac if track.codec_private.len() >= 4 => Some(u32::from_be_bytes([
                track.codec_private[0],
                track.codec_private[1],
                track.codec_private[2],
                track.codec_private[3],
            ])),
            _ => Some(1024),
        };
        sink.write(&Self::head(0))?;
        Ok(Self {
            priming: if from_start { track.priming } else { 0 },
            timescale: track.sample_rate.max(1),
            track,
            fixed,
            sizes: Vec::new(),
            durations: Vec::new(),
            data_len: 0,
            length: None,
        })
    }

    /// Shows `samples` after the priming rather than every packet's samples.
    pub fn set_length(&mut self, samples: u64) {
        self.length = Some(samples);
    }

    fn head(data_len: u64) -> Vec<u8> {
        let mut h = Vec::with_capacity(HEAD_LEN);
        h.extend_from_slice(FTYP);
        h.extend_from_slice(&1u32.to_be_bytes());
        h.extend_from_slice(b"mdat");
        h.extend_from_slice(&(data_len + 16).to_be_bytes());
        h
    }

    fn sample_entry(&self) -> Vec<u8> {
        let t = &self.track;
        let mut fields = vec![0u8; 6];
        fields.extend_from_slice(&1u16.to_be_bytes());
        fields.extend_from_slice(&[0; 8]);
        fields.extend_from_slice(&t.channels.to_be_bytes());
        fields.extend_from_slice(&16u16.to_be_bytes());
        fields.extend_from_slice(&[0; 4]);
        // 16.16 fixed point: rates above 65535 Hz are said by the decoder config instead.
        let rate = if t.sample_rate <= 0xFFFF {
            t.sample_rate << 16
        } else {
            0
        };
        fields.extend_from_slice(&rate.to_be_bytes());
        match t.codec {
            Codec::Alac => {
                let cookie = full(b"alac", 0, &[&t.codec_private]);
                bx(b"alac", &[&fields, &cookie])
            }
            _ => {
                let avg = t.bit_rate.unwrap_or(0).min(u64::from(u32::MAX)) as u32;
                let mut config = vec![0x40, 0x15, 0, 0, 0];
                config.extend_from_slice(&avg.to_be_bytes());
                config.extend_from_slice(&avg.to_be_bytes());
                config.extend_from_slice(&descriptor(0x05, &t.codec_private));
                let mut es = vec![0, 1, 0];
                es.extend_from_slice(&descriptor(0x04, &config));
                es.extend_from_slice(&descriptor(0x06, &[0x02]));
                let esds = full(b"esds", 0, &[&descriptor(0x03, &es)]);
                bx(b"mp4a", &[&fields, &esds])
            }
        }
    }

    fn moov(&self) -> Vec<u8> {
        let ts = self.timescale;
        let total: u64 = self
            .durations
            .iter()
            .map(|&(n, d)| u64::from(n) * u64::from(d))
            .sum();
        let shown = total.saturating_sub(u64::from(self.priming));
        let shown = self.length.map_or(shown, |l| l.min(shown));
        let u32of = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        let mut mvhd = vec![0u8; 8];
        mvhd.extend_from_slice(&ts.to_be_bytes());
        mvhd.extend_from_slice(&u32of(shown).to_be_bytes());
        mvhd.extend_from_slice(&0x0001_0000u32.to_be_bytes());
        mvhd.extend_from_slice(&0x0100u16.to_be_bytes());
        mvhd.extend_from_slice(&[0; 10]);
        mvhd.extend_from_slice(&MATRIX);
        mvhd.extend_from_slice(&[0; 24]);
        mvhd.extend_from_slice(&2u32.to_be_bytes());
        let mvhd = full(b"mvhd", 0, &[&mvhd]);

        let mut tkhd = vec![0u8; 8];
        tkhd.extend_from_slice(&1u32.to_be_bytes());
        tkhd.extend_from_slice(&[0; 4]);
        tkhd.extend_from_slice(&u32of(shown).to_be_bytes());
        tkhd.extend_from_slice(&[0; 8]);
        tkhd.extend_from_slice(&[0, 0, 0, 1, 0x01, 0, 0, 0]); // layer, group, volume 1.0
        tkhd.extend_from_slice(&MATRIX);
        tkhd.extend_from_slice(&[0; 8]);
        let tkhd = full(b"tkhd", 3, &[&tkhd]);

        let edts = if self.priming > 0 || self.length.is_some() {
            let mut e = 1u32.to_be_bytes().to_vec();
            e.extend_from_slice(&u32of(shown).to_be_bytes());
            e.extend_from_slice(&self.priming.to_be_bytes());
            e.extend_from_slice(&0x0001_0000u32.to_be_bytes());
            bx(b"edts", &[&full(b"elst", 0, &[&e])])
        } else {
            Vec::new()
        };

        let lang = pack_language(self.track.language.as_deref());
        let mut mdhd = vec![0u8; 8];
        mdhd.extend_from_slice(&ts.to_be_bytes());
        mdhd.extend_from_slice(&u32of(total).to_be_bytes());
        mdhd.extend_from_slice(&lang.to_be_bytes());
        mdhd.extend_from_slice(&[0; 2]);
        let mdhd = full(b"mdhd", 0, &[&mdhd]);
        let hdlr = full(b"hdlr", 0, &[&[0; 4], b"soun", &[0; 12], b"SoundHandler\0"]);
        let smhd = full(b"smhd", 0, &[&[0; 4]]);
        let dref = full(b"dref", 0, &[&1u32.to_be_bytes(), &full(b"url ", 1, &[])]);
        let dinf = bx(b"dinf", &[&dref]);

        let n = self.sizes.len() as u32;
        let stsd = full(b"stsd", 0, &[&1u32.to_be_bytes(), &self.sample_entry()]);
        let mut stts = (self.durations.len() as u32).to_be_bytes().to_vec();
        for &(count, d) in &self.durations {
            stts.extend_from_slice(&count.to_be_bytes());
            stts.extend_from_slice(&d.to_be_bytes());
        }
        let stts = full(b"stts", 0, &[&stts]);
        // All samples in one chunk, right after the mdat header.
        let (stsc, stco) = if n > 0 {
            let mut c = 1u32.to_be_bytes().to_vec();
            c.extend_from_slice(&1u32.to_be_bytes());
            c.extend_from_slice(&n.to_be_bytes());
            c.extend_from_slice(&1u32.to_be_bytes());
            let mut o = 1u32.to_be_bytes().to_vec();
            o.extend_from_slice(&(HEAD_LEN as u32).to_be_bytes());
            (c, o)
        } else {
            (vec![0; 4], vec![0; 4])
        };
        let stsc = full(b"stsc", 0, &[&stsc]);
        let stco = full(b"stco", 0, &[&stco]);
        let mut stsz = vec![0u8; 4];
        stsz.extend_from_slice(&n.to_be_bytes());
        for s in &self.sizes {
            stsz.extend_from_slice(&s.to_be_bytes());
        }
        let stsz = full(b"stsz", 0, &[&stsz]);
        let stbl = bx(b"stbl", &[&stsd, &stts, &stsc, &stsz, &stco]);
        let minf = bx(b"minf", &[&smhd, &dinf, &stbl]);
        let mdia = bx(b"mdia", &[&mdhd, &hdlr, &minf]);
        let trak = bx(b"trak", &[&tkhd, &edts, &mdia]);
        bx(b"moov", &[&mvhd, &trak])
    }
}

const MATRIX: [u8; 36] = [
    0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0x40, 0, 0, 0,
];

/// ISO 639-2 in `mdhd`'s three 5-bit letters ("und" when unknown or not three letters).
fn pack_language(lang: Option<&str>) -> u16 {
    let code = lang
        .filter(|l| l.len() == 3 && l.bytes().all(|b| b.is_ascii_lowercase()))
        .unwrap_or("und");
    code.bytes()
        .fold(0u16, |acc, b| (acc << 5) | u16::from(b - 0x60))
}

impl Muxer for M4a {
    fn write(&mut self, packet: &Packet, sink: &mut dyn Sink) -> Result<(), EngineError> {
        let size = u32::try_from(packet.data.len())
            .map_err(|_| EngineError::Unreadable("a packet larger than 4 GB".into()))?;
        let d = self.fixed.unwrap_or(packet.duration);
        match self.durations.last_mut() {
            Some((n, last)) if *last == d => *n += 1,
            _ => self.durations.push((1, d)),
        }
        self.sizes.push(size);
        self.data_len += u64::from(size);
        sink.write(&packet.data)
    }
    fn finish(&mut self, sink: &mut dyn Sink) -> Result<(), EngineError> {
        sink.write(&self.moov())?;
        sink.patch_head(&Self::head(self.data_len))
    }
}
