//! What the first bytes of a file say it is. ffprobe alone is too forgiving (it will call a
//! handful of random bytes "mp3"), so the magic bytes decide the family and ffprobe confirms it.

use v2a_protocol::text::Key;

/// How many bytes of the file head [`sniff`] wants.
pub const HEAD_LEN: usize = 4096;

/// The family a file head belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    /// ISO base media (MP4, MOV, M4A, 3GP): the `ftyp` major brand, or `None` for old
    /// QuickTime files that start with another atom.
    IsoMedia {
        brand: Option<String>,
    },
    /// Matroska or WebM: the EBML DocType when the header carries one.
    Ebml {
        doctype: Option<String>,
    },
    Avi,
    Wav,
    Mp3,
    /// AAC in ADTS framing (a bare `.aac` file).
    Adts,
    /// A picture: the name of its format ("PNG", "JPEG"…).
    Image(&'static str),
    /// Something recognisable that is neither video nor audio we take, described for people
    /// ("a PDF document").
    Other(Key),
    Unknown,
}

/// Classify a file head (ideally the first [`HEAD_LEN`] bytes).
pub fn sniff(head: &[u8]) -> Sniffed {
    let at = |offset: usize, magic: &[u8]| head.get(offset..offset + magic.len()) == Some(magic);
    if at(0, b"\x89PNG\r\n\x1a\n") {
        return Sniffed::Image("PNG");
    }
    if at(0, b"\xff\xd8\xff") {
        return Sniffed::Image("JPEG");
    }
    if at(0, b"GIF87a") || at(0, b"GIF89a") {
        return Sniffed::Image("GIF");
    }
    if at(0, b"BM") && head.len() >= 26 && at(6, b"\0\0\0\0") {
        return Sniffed::Image("BMP");
    }
    if at(0, b"II*\0") || at(0, b"MM\0*") {
        return Sniffed::Image("TIFF");
    }
    if at(0, b"RIFF") {
        if at(8, b"WEBP") {
            return Sniffed::Image("WebP");
        }
        if at(8, b"AVI ") {
            return Sniffed::Avi;
        }
        if at(8, b"WAVE") {
            return Sniffed::Wav;
        }
    }
    if at(4, b"ftyp") {
        let brand = head
            .get(8..12)
            .map(|b| String::from_utf8_lossy(b).into_owned());
        return match brand.as_deref() {
            Some("heic" | "heix" | "mif1" | "msf1") => Sniffed::Image("HEIF"),
            Some("avif" | "avis") => Sniffed::Image("AVIF"),
            _ => Sniffed::IsoMedia { brand },
        };
    }
    // QuickTime files written before `ftyp` existed start straight with a top-level atom.
    if [b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"]
        .iter()
        .any(|atom| at(4, *atom))
    {
        return Sniffed::IsoMedia { brand: None };
    }
    if at(0, b"\x1a\x45\xdf\xa3") {
        return Sniffed::Ebml {
            doctype: ebml_doctype(head),
        };
    }
    if at(0, b"ID3") {
        // An ID3 tag can front MP3 or ADTS AAC; ffprobe's format name tells them apart.
        return Sniffed::Mp3;
    }
    if head.len() >= 2 && head[0] == 0xff && head[1] & 0xf6 == 0xf0 {
        return Sniffed::Adts;
    }
    if mp3_frames_at_start(head) {
        return Sniffed::Mp3;
    }
    if at(0, b"%PDF") {
        return Sniffed::Other(Key::KindPdf);
    }
    if at(0, b"PK\x03\x04") || at(0, b"PK\x05\x06") {
        return Sniffed::Other(Key::KindZip);
    }
    if at(0, b"Rar!") || at(0, b"7z\xbc\xaf") || at(0, b"\x1f\x8b") {
        return Sniffed::Other(Key::KindArchive);
    }
    if at(0, b"OggS") {
        return Sniffed::Other(Key::KindOgg);
    }
    if at(0, b"fLaC") {
        return Sniffed::Other(Key::KindFlac);
    }
    if looks_like_text(head) {
        let lower = String::from_utf8_lossy(&head[..head.len().min(256)]).to_ascii_lowercase();
        if lower.contains("<!doctype html") || lower.contains("<html") {
            return Sniffed::Other(Key::KindHtml);
        }
        return Sniffed::Other(Key::KindText);
    }
    Sniffed::Unknown
}

/// The DocType string of an EBML header ("webm", "matroska").
fn ebml_doctype(head: &[u8]) -> Option<String> {
    // Skip the EBML element's own ID (4 bytes) and size, then walk its children.
    let (size, len) = vint(head.get(4..)?)?;
    let start = 4 + len;
    let end = start
        .saturating_add(usize::try_from(size).ok()?)
        .min(head.len());
    let mut pos = start;
    while pos < end {
        let id_len = vint_len(*head.get(pos)?)?;
        let id = head.get(pos..pos + id_len)?;
        let (size, size_len) = vint(head.get(pos + id_len..)?)?;
        let body = pos + id_len + size_len;
        let body_end = body.checked_add(usize::try_from(size).ok()?)?;
        if id == [0x42, 0x82] {
            let text = head.get(body..body_end)?;
            let text = text.split(|&b| b == 0).next().unwrap_or(text);
            return Some(String::from_utf8_lossy(text).into_owned());
        }
        pos = body_end;
    }
    None
}

/// Length in bytes of an EBML variable-size integer, from its first byte.
fn vint_len(first: u8) -> Option<usize> {
    (first != 0).then(|| first.leading_zeros() as usize + 1)
}

/// An EBML variable-size integer (marker bit removed) and its length.
fn vint(bytes: &[u8]) -> Option<(u64, usize)> {
    let len = vint_len(*bytes.first()?)?;
    let raw = bytes.get(..len)?;
    let mut value = u64::from(raw[0] & 0xffu8.checked_shr(len as u32).unwrap_or(0));
    for &b in &raw[1..] {
        value = value << 8 | u64::from(b);
    }
    Some((value, len))
}

/// Two consecutive valid MPEG audio layer III frame headers at the very start (after optional
/// zero padding): the check that keeps random bytes from passing as MP3.
fn mp3_frames_at_start(head: &[u8]) -> bool {
    let start = head.iter().take(512).position(|&b| b != 0).unwrap_or(0);
    let Some(first) = mp3_frame_len(&head[start..]) else {
        return false;
    };
    mp3_frame_len(head.get(start + first..).unwrap_or_default()).is_some()
}

/// The length of the MPEG-1/2/2.5 layer III frame whose header starts `bytes`, if valid.
fn mp3_frame_len(bytes: &[u8]) -> Option<usize> {
    let h = bytes.get(..4)?;
    if h[0] != 0xff || h[1] & 0xe0 != 0xe0 {
        return None;
    }
    let version = (h[1] >> 3) & 3; // 0: MPEG-2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
    let layer = (h[1] >> 1) & 3; // 1: layer III
    let bitrate_index = usize::from(h[2] >> 4);
    let rate_index = usize::from((h[2] >> 2) & 3);
    if version == 1 || layer != 1 || bitrate_index == 0 || bitrate_index == 15 || rate_index == 3 {
        return None;
    }
    const MPEG1: [usize; 15] = [
        0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
    ];
    const MPEG2: [usize; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    let (kbps, base_rate, coefficient) = match version {
        3 => (MPEG1[bitrate_index], [44100, 48000, 32000][rate_index], 144),
        2 => (MPEG2[bitrate_index], [22050, 24000, 16000][rate_index], 72),
        _ => (MPEG2[bitrate_index], [11025, 12000, 8000][rate_index], 72),
    };
    let padding = usize::from((h[2] >> 1) & 1);
    Some(coefficient * kbps * 1000 / base_rate + padding)
}

/// Printable UTF-8 with ordinary whitespace only.
fn looks_like_text(head: &[u8]) -> bool {
    if head.is_empty() {
        return false;
    }
    // A multi-byte character may be cut at the end of the head.
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).expect("checked valid up to here")
        }
        Err(_) => return false,
    };
    text.chars()
        .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\x0c'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_named() {
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Sniffed::Image("PNG")
        );
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF"), Sniffed::Image("JPEG"));
        assert_eq!(sniff(b"GIF89a\x01\0"), Sniffed::Image("GIF"));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Sniffed::Image("WebP"));
        assert_eq!(sniff(b"\0\0\0\x1cftypavif\0\0\0\0"), Sniffed::Image("AVIF"));
    }

    #[test]
    fn iso_media_keeps_the_major_brand() {
        assert_eq!(
            sniff(b"\0\0\0\x14ftypqt  \0\0\x02\0"),
            Sniffed::IsoMedia {
                brand: Some("qt  ".into())
            }
        );
        assert_eq!(
            sniff(b"\0\0\x10\0moov\0\0"),
            Sniffed::IsoMedia { brand: None }
        );
    }

    #[test]
    fn riff_family() {
        assert_eq!(sniff(b"RIFF\0\0\0\0AVI LIST"), Sniffed::Avi);
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVEfmt "), Sniffed::Wav);
    }

    #[test]
    fn ebml_doctype_is_read() {
        // EBML header: version elements then DocType "webm".
        let mut head = vec![0x1a, 0x45, 0xdf, 0xa3, 0x9f];
        head.extend([0x42, 0x86, 0x81, 0x01]); // EBMLVersion 1
        head.extend([0x42, 0xf7, 0x81, 0x01]); // EBMLReadVersion 1
        head.extend([0x42, 0x82, 0x84]); // DocType, 4 bytes
        head.extend(b"webm");
        head.extend([0x42, 0x87, 0x81, 0x04]);
        assert_eq!(
            sniff(&head),
            Sniffed::Ebml {
                doctype: Some("webm".into())
            }
        );
        let mut mkv = vec![0x1a, 0x45, 0xdf, 0xa3, 0x01, 0, 0, 0, 0, 0, 0, 0x0b];
        mkv.extend([0x42, 0x82, 0x88]);
        mkv.extend(b"matroska");
        assert_eq!(
            sniff(&mkv),
            Sniffed::Ebml {
                doctype: Some("matroska".into())
            }
        );
    }

    #[test]
    fn mp3_needs_two_frames() {
        // MPEG-1 layer III, 128 kbps, 44.1 kHz: 417-byte frames.
        let mut two = vec![0u8; 900];
        two[..4].copy_from_slice(&[0xff, 0xfb, 0x90, 0x00]);
        two[417..421].copy_from_slice(&[0xff, 0xfb, 0x90, 0x00]);
        assert_eq!(sniff(&two), Sniffed::Mp3);
        let mut one = two.clone();
        one[417] = 0x12;
        assert_eq!(sniff(&one), Sniffed::Unknown);
        assert_eq!(sniff(b"ID3\x04\0\0\0\0\0\0"), Sniffed::Mp3);
        assert_eq!(sniff(&[0xff, 0xf1, 0x50, 0x80]), Sniffed::Adts);
    }

    #[test]
    fn documents_and_text() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniffed::Other(Key::KindPdf));
        assert_eq!(
            sniff("hello, wörld\n".as_bytes()),
            Sniffed::Other(Key::KindText)
        );
        assert_eq!(
            sniff(b"<!DOCTYPE html><html>"),
            Sniffed::Other(Key::KindHtml)
        );
        assert_eq!(sniff(&[0x00, 0x13, 0x99, 0x42, 0x07]), Sniffed::Unknown);
        assert_eq!(sniff(b""), Sniffed::Unknown);
    }
}
