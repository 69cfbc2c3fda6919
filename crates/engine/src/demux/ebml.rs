//! EBML, Matroska's binary layout: variable-length integers, element headers, and the
//! children of an element body already read.

use crate::EngineError;

/// Element IDs the demuxer looks at.
pub(crate) mod id {
    pub const EBML: u32 = 0x1A45_DFA3;
    pub const DOC_TYPE: u32 = 0x4282;
    pub const SEGMENT: u32 = 0x1853_8067;
    pub const SEEK_HEAD: u32 = 0x114D_9B74;
    pub const SEEK: u32 = 0x4DBB;
    pub const SEEK_ID: u32 = 0x53AB;
    pub const SEEK_POSITION: u32 = 0x53AC;
    pub const INFO: u32 = 0x1549_A966;
    pub const TIMECODE_SCALE: u32 = 0x2A_D7B1;
    pub const DURATION: u32 = 0x4489;
    pub const TRACKS: u32 = 0x1654_AE6B;
    pub const TRACK_ENTRY: u32 = 0xAE;
    pub const TRACK_NUMBER: u32 = 0xD7;
    pub const TRACK_TYPE: u32 = 0x83;
    pub const CODEC_ID: u32 = 0x86;
    pub const CODEC_PRIVATE: u32 = 0x63A2;
    pub const LANGUAGE: u32 = 0x22_B59C;
    pub const DEFAULT_DURATION: u32 = 0x23_E383;
    pub const CODEC_DELAY: u32 = 0x56AA;
    pub const AUDIO: u32 = 0xE1;
    pub const SAMPLING_FREQUENCY: u32 = 0xB5;
    pub const CHANNELS: u32 = 0x9F;
    pub const BIT_DEPTH: u32 = 0x6264;
    pub const CONTENT_ENCODINGS: u32 = 0x6D80;
    pub const CONTENT_ENCODING: u32 = 0x6240;
    pub const CONTENT_COMPRESSION: u32 = 0x5034;
    pub const CONTENT_COMP_ALGO: u32 = 0x4254;
    pub const CONTENT_COMP_SETTINGS: u32 = 0x4255;
    pub const CLUSTER: u32 = 0x1F43_B675;
    pub const TIMECODE: u32 = 0xE7;
    pub const SIMPLE_BLOCK: u32 = 0xA3;
    pub const BLOCK_GROUP: u32 = 0xA0;
    pub const BLOCK: u32 = 0xA1;
    pub const BLOCK_DURATION: u32 = 0x9B;
    pub const CRC32: u32 = 0xBF;
    pub const VOID: u32 = 0xEC;
    pub const CUES: u32 = 0x1C53_BB6B;
    pub const TAGS: u32 = 0x1254_C367;
    pub const CHAPTERS: u32 = 0x1043_A770;
    pub const ATTACHMENTS: u32 = 0x1941_A469;

    /// Children of the Segment: one of these ends a Cluster of unknown size.
    pub fn is_top_level(id: u32) -> bool {
        matches!(
            id,
            CLUSTER | CUES | TAGS | CHAPTERS | ATTACHMENTS | SEEK_HEAD | INFO | TRACKS
        )
    }
}

fn bad(what: &str) -> EngineError {
    EngineError::Unreadable(format!("a damaged Matroska {what}"))
}

/// A variable-length integer at the start of `data`: (value without the length marker, its
/// length, whether all its value bits are ones — "unknown" for sizes).
pub(crate) fn vint(data: &[u8]) -> Result<(u64, usize, bool), EngineError> {
    let first = *data.first().ok_or_else(|| bad("number"))?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 || data.len() < len {
        return Err(bad("number"));
    }
    let mut value = u64::from(first) & (0xFF >> len);
    for b in &data[1..len] {
        value = (value << 8) | u64::from(*b);
    }
    let all_ones = value == (1u64 << (7 * len)) - 1;
    Ok((value, len, all_ones))
}

/// An element header at the start of `data`: (id with its marker, size or `None` when
/// unknown, header length).
pub(crate) fn header(data: &[u8]) -> Result<(u32, Option<u64>, usize), EngineError> {
    let first = *data.first().ok_or_else(|| bad("element"))?;
    let id_len = first.leading_zeros() as usize + 1;
    if id_len > 4 || data.len() < id_len {
        return Err(bad("element"));
    }
    let id = data[..id_len]
        .iter()
        .fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
    let (size, size_len, unknown) = vint(&data[id_len..])?;
    Ok((id, (!unknown).then_some(size), id_len + size_len))
}

/// The children of an element body: (id, body). Unknown sizes are not allowed here.
pub(crate) fn children(data: &[u8]) -> Result<Vec<(u32, &[u8])>, EngineError> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < data.len() {
        let (id, size, hlen) = header(&data[at..])?;
        let size = size.ok_or_else(|| bad("element size"))?;
        let start = at + hlen;
        let end = usize::try_from(size)
            .ok()
            .and_then(|s| start.checked_add(s))
            .filter(|e| *e <= data.len())
            .ok_or_else(|| bad("element size"))?;
        out.push((id, &data[start..end]));
        at = end;
    }
    Ok(out)
}

/// An unsigned integer element's value.
pub(crate) fn uint(data: &[u8]) -> u64 {
    data.iter()
        .take(8)
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
}

/// A float element's value (4 or 8 bytes).
pub(crate) fn float(data: &[u8]) -> Option<f64> {
    match data.len() {
        4 => Some(f64::from(f32::from_bits(uint(data) as u32))),
        8 => Some(f64::from_bits(uint(data))),
        _ => None,
    }
}

/// The sizes of a laced block's frames (Xiph, fixed or EBML lacing), given the bytes after the
/// block header and the lacing kind; returns (frame sizes, bytes of lacing header).
pub(crate) fn lace_sizes(data: &[u8], lacing: u8) -> Result<(Vec<usize>, usize), EngineError> {
    let count = usize::from(*data.first().ok_or_else(|| bad("block"))?) + 1;
    let mut at = 1;
    let mut sizes = Vec::with_capacity(count);
    match lacing {
        1 => {
            for _ in 0..count - 1 {
                let mut size = 0usize;
                loop {
                    let b = *data.get(at).ok_or_else(|| bad("lacing"))?;
                    at += 1;
                    size += usize::from(b);
                    if b < 255 {
                        break;
                    }
                }
                sizes.push(size);
            }
        }
        3 if count > 1 => {
            let (first, n, _) = vint(data.get(at..).unwrap_or_default())?;
            at += n;
            let mut size = i64::try_from(first).map_err(|_| bad("lacing"))?;
            sizes.push(usize::try_from(size).map_err(|_| bad("lacing"))?);
            for _ in 1..count - 1 {
                let (raw, n, _) = vint(data.get(at..).unwrap_or_default())?;
                at += n;
                let bias = (1i64 << (7 * n - 1)) - 1;
                size += raw as i64 - bias;
                sizes.push(usize::try_from(size).map_err(|_| bad("lacing"))?);
            }
        }
        3 => {}
        _ => {
            let each = (data.len() - 1) / count;
            if each * count != data.len() - 1 {
                return Err(bad("fixed lacing"));
            }
            return Ok((vec![each; count], 1));
        }
    }
    let used: usize = sizes.iter().sum();
    let rest = (data.len() - at.min(data.len()))
        .checked_sub(used)
        .ok_or_else(|| bad("lacing"))?;
    sizes.push(rest);
    Ok((sizes, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_lacings_give_the_frame_sizes() {
        // Xiph: 3 frames of 300, 10 and (the rest) 5 bytes.
        let mut xiph = vec![2, 255, 45, 10];
        xiph.extend(vec![0; 315]);
        assert_eq!(lace_sizes(&xiph, 1).ok(), Some((vec![300, 10, 5], 4)));
        // EBML: 300 (0x412C), then -290 as a signed 2-byte difference, the rest 5.
        let bias = (1i64 << 13) - 1;
        let diff = (-290 + bias) as u16 | 0x4000;
        let mut laced = vec![2, 0x41, 0x2C];
        laced.extend(diff.to_be_bytes());
        laced.extend(vec![0; 315]);
        assert_eq!(lace_sizes(&laced, 3).ok(), Some((vec![300, 10, 5], 5)));
        // Fixed: 4 frames of 8 bytes.
        let mut fixed = vec![3];
        fixed.extend(vec![0; 32]);
        assert_eq!(lace_sizes(&fixed, 2).ok(), Some((vec![8; 4], 1)));
        fixed.push(0);
        assert!(
            lace_sizes(&fixed, 2).is_err(),
            "33 bytes are not 4 equal frames"
        );
        // Sizes larger than the block are refused, not sliced.
        assert!(lace_sizes(&[1, 255, 255, 3], 1).is_err());
    }

    #[test]
    fn sizes_of_all_ones_are_unknown() {
        assert_eq!(vint(&[0xFF]).ok(), Some((0x7F, 1, true)));
        assert_eq!(
            vint(&[0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
                .map(|v| v.2)
                .ok(),
            Some(true)
        );
        assert_eq!(
            header(&[0x1F, 0x43, 0xB6, 0x75, 0xFF]).ok(),
            Some((0x1F43_B675, None, 5))
        );
        assert!(
            vint(&[0x00, 1]).is_err(),
            "no length marker in the first byte"
        );
    }
}
