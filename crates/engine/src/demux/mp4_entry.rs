//! MP4 boxes inside one track: the children of a box, the sample entry (which codec, its set-up
//! bytes), the language code of `mdhd`.

use super::bytes::Cursor;
use crate::{Codec, EngineError};

/// A box: its type and body.
pub(crate) type Mp4Box<'a> = ([u8; 4], &'a [u8]);

/// The children of a box body: (type, body). A child whose size runs past its parent is an
/// error; size 0 means "to the end of the parent".
pub(crate) fn children(data: &[u8]) -> Result<Vec<Mp4Box<'_>>, EngineError> {
    let mut out = Vec::new();
    let mut c = Cursor::new(data);
    while c.remaining() >= 8 {
        let start = c.pos();
        let size = c.u32be()? as u64;
        let kind = c.fourcc()?;
        let size = match size {
            0 => (data.len() - start) as u64,
            1 => c.u64be()?,
            n => n,
        };
        let header = (c.pos() - start) as u64;
        if size < header || size - header > c.remaining() as u64 {
            return Err(EngineError::Unreadable(format!(
                "the {} box runs past its parent",
                String::from_utf8_lossy(&kind)
            )));
        }
        out.push((kind, c.take((size - header) as usize)?));
    }
    Ok(out)
}

/// The first child of type `kind`.
pub(crate) fn child<'a>(data: &'a [u8], kind: &[u8; 4]) -> Result<Option<&'a [u8]>, EngineError> {
    Ok(children(data)?
        .into_iter()
        .find(|(k, _)| k == kind)
        .map(|(_, b)| b))
}

/// What a sample entry says.
pub(crate) struct Entry {
    pub codec: Codec,
    pub sample_rate: u32,
    pub channels: u16,
    pub codec_private: Vec<u8>,
    pub bit_rate: Option<u64>,
}

/// The first sample entry of an `stsd` body, when it is audio.
pub(crate) fn sound_entry(stsd: &[u8]) -> Result<Entry, EngineError> {
    let mut c = Cursor::new(stsd);
    c.skip(8)?; // version, flags, entry count
    let size = c.u32be()? as usize;
    let kind = c.fourcc()?;
    let body = c.take(size.saturating_sub(8).min(c.remaining()))?;
    let mut b = Cursor::new(body);
    b.skip(8)?; // reserved, data reference index
    let version = b.u16be()?;
    b.skip(6)?; // revision, vendor
    let mut channels = b.u16be()?;
    b.skip(6)?; // sample size, compression id, packet size
    let mut sample_rate = b.u32be()? >> 16;
    match version {
        1 => b.skip(16)?,
        2 => {
            b.skip(4)?;
            sample_rate = f64::from_bits(b.u64be()?) as u32;
            channels = u16::try_from(b.u32be()?).unwrap_or(0);
            b.skip(20)?;
        }
        _ => {}
    }
    let boxes = b.rest();
    let mut entry = Entry {
        codec: Codec::Other(String::from_utf8_lossy(&kind).trim().to_string()),
        sample_rate,
        channels,
        codec_private: Vec::new(),
        bit_rate: None,
    };
    match &kind {
        b"mp4a" => {
            // QuickTime puts the esds inside a `wave` box.
            let esds = match child(boxes, b"esds")? {
                Some(e) => Some(e),
                None => match child(boxes, b"wave")? {
                    Some(w) => child(w, b"esds")?,
                    None => None,
                },
            };
            if let Some(esds) = esds {
                let (oti, bit_rate, dsi) = parse_esds(esds)?;
                entry.bit_rate = bit_rate;
                entry.codec = match oti {
                    0x40 | 0x66..=0x68 => Codec::Aac,
                    0x69 | 0x6B => Codec::Mp3,
                    // Its config is the three headers, Xiph-laced as in Matroska.
                    0xDD => Codec::Vorbis,
                    other => Codec::Other(format!("mp4a object type {other:#04x}")),
                };
                entry.codec_private = dsi;
            }
        }
        b".mp3" | b"ms\0U" => entry.codec = Codec::Mp3,
        b"Opus" => {
            if let Some(d) = child(boxes, b"dOps")? {
                entry.codec = Codec::Opus;
                entry.codec_private = opus_head(d)?;
            }
        }
        b"fLaC" => {
            if let Some(d) = child(boxes, b"dfLa")? {
                entry.codec = Codec::Flac;
                let blocks = d.get(4..).unwrap_or_default();
                entry.codec_private = [b"fLaC".as_slice(), blocks].concat();
            }
        }
        b"alac" => {
            let inner = match child(boxes, b"alac")? {
                Some(d) => Some(d),
                None => match child(boxes, b"wave")? {
                    Some(w) => child(w, b"alac")?,
                    None => None,
                },
            };
            if let Some(d) = inner {
                // The cookie is the 24-byte ALACSpecificConfig after the full-box header.
                let cookie = d.get(4..).unwrap_or_default();
                if cookie.len() >= 24 {
                    channels = u16::from(cookie[9]);
                    sample_rate =
                        u32::from_be_bytes([cookie[20], cookie[21], cookie[22], cookie[23]]);
                    entry.channels = channels;
                    entry.sample_rate = sample_rate;
                }
                entry.codec = Codec::Alac;
                entry.codec_private = cookie.to_vec();
            }
        }
        _ => {}
    }
    Ok(entry)
}

/// An MPEG-4 descriptor's length: up to four bytes of 7 bits.
fn descriptor_len(c: &mut Cursor) -> Result<usize, EngineError> {
    let mut n = 0usize;
    for _ in 0..4 {
        let b = c.u8()?;
        n = (n << 7) | usize::from(b & 0x7F);
        if b & 0x80 == 0 {
            break;
        }
    }
    Ok(n)
}

/// (object type, average bit rate, decoder specific info) of an `esds` body.
fn parse_esds(esds: &[u8]) -> Result<(u8, Option<u64>, Vec<u8>), EngineError> {
    let mut c = Cursor::new(esds);
    c.skip(4)?;
    if c.u8()? != 0x03 {
        return Err(EngineError::Unreadable(
            "esds without an ES descriptor".into(),
        ));
    }
    descriptor_len(&mut c)?;
    c.skip(2)?;
    let flags = c.u8()?;
    if flags & 0x80 != 0 {
        c.skip(2)?;
    }
    if flags & 0x40 != 0 {
        let n = c.u8()?;
        c.skip(usize::from(n))?;
    }
    if flags & 0x20 != 0 {
        c.skip(2)?;
    }
    if c.u8()? != 0x04 {
        return Err(EngineError::Unreadable(
            "esds without a decoder config".into(),
        ));
    }
    descriptor_len(&mut c)?;
    let oti = c.u8()?;
    c.skip(8)?; // stream type, buffer size, max bit rate
    let avg = c.u32be()?;
    let mut dsi = Vec::new();
    if c.remaining() > 0 && c.u8()? == 0x05 {
        let n = descriptor_len(&mut c)?;
        dsi = c.take(n.min(c.remaining()))?.to_vec();
    }
    Ok((oti, (avg > 0).then_some(u64::from(avg)), dsi))
}

/// The Ogg `OpusHead` of an MP4 `dOps` body (big-endian there, little-endian in Ogg).
fn opus_head(d: &[u8]) -> Result<Vec<u8>, EngineError> {
    let mut c = Cursor::new(d);
    c.skip(1)?;
    let channels = c.u8()?;
    let pre_skip = c.u16be()?;
    let rate = c.u32be()?;
    let gain = c.u16be()?;
    let family = c.u8()?;
    let mut out = b"OpusHead".to_vec();
    out.extend_from_slice(&[1, channels]);
    out.extend_from_slice(&pre_skip.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&gain.to_le_bytes());
    out.push(family);
    if family != 0 {
        out.extend_from_slice(c.take((2 + usize::from(channels)).min(c.remaining()))?);
    }
    Ok(out)
}

/// The language of an `mdhd` code: ISO 639-2 packed in three 5-bit letters, or one of the old
/// Macintosh codes QuickTime files carry. "und" (undetermined) is none.
pub(crate) fn language(code: u16) -> Option<String> {
    const MAC: [&str; 34] = [
        "eng", "fra", "deu", "ita", "nld", "swe", "spa", "dan", "por", "nor", "heb", "jpn", "ara",
        "fin", "ell", "isl", "mlt", "tur", "hrv", "zho", "urd", "hin", "tha", "kor", "lit", "pol",
        "hun", "est", "lav", "smi", "fao", "fas", "rus", "zho",
    ];
    if code < 0x400 {
        return MAC.get(usize::from(code)).map(|s| s.to_string());
    }
    let letters: String = [10, 5, 0]
        .iter()
        .map(|s| char::from(((code >> s) & 0x1F) as u8 + 0x60))
        .collect();
    (letters != "und" && letters.chars().all(|c| c.is_ascii_lowercase())).then_some(letters)
}
