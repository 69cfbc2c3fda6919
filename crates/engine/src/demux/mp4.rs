//! ISO BMFF (MP4, M4V, M4A, MOV): the top-level boxes are walked by their headers alone; `moov`
//! and each `moof` are read whole (they are the index), `mdat` is skipped. The audio tracks'
//! sample tables are expanded from stts/stsc/stsz/stco (or trun in fragments).

use std::collections::HashMap;

use super::bytes::Cursor;
use super::mp4_entry::{child, children, language, sound_entry};
use super::table::{Sample, TableDemuxer, MAX_SAMPLES};
use super::Input;
use crate::{AudioTrack, Codec, Container, EngineError, Probe};

/// Top-level box types an ISO BMFF file starts with.
pub(crate) fn is_box_type(kind: &[u8]) -> bool {
    matches!(
        kind,
        b"ftyp" | b"moov" | b"mdat" | b"free" | b"skip" | b"wide" | b"pnot" | b"styp" | b"moof"
    )
}

/// Largest index box read into memory; a real `moov` of a long film is a few MB.
const MAX_INDEX_BOX: u64 = 64 << 20;

/// One `trak` of the `moov`.
struct Trak {
    id: u32,
    handler: [u8; 4],
    timescale: u32,
    language: Option<String>,
    entry: Option<super::mp4_entry::Entry>,
    /// Media time of the first edit, in the track's timescale.
    edit_start: i64,
    samples: Vec<Sample>,
}

/// Opens an ISO BMFF file.
pub(crate) fn open(mut input: Input) -> Result<TableDemuxer, EngineError> {
    let len = input.len();
    let mut traks: Vec<Trak> = Vec::new();
    let mut trex: HashMap<u32, (u32, u32)> = HashMap::new();
    let mut movie_duration = 0.0;
    let mut offset = 0u64;
    let mut saw_moov = false;
    // `offset` may be past the end (a box size of nearly 2^64 saturates): no addition here.
    while offset < len && len - offset >= 8 {
        let head = input.read_up_to(offset, 16)?;
        let mut c = Cursor::new(&head);
        let size32 = c.u32be()?;
        let kind = c.fourcc()?;
        let (size, header) = match size32 {
            0 => (len - offset, 8),
            1 => (c.u64be()?, 16),
            n => (u64::from(n), 8),
        };
        if size < header {
            return Err(EngineError::Unreadable("an MP4 box with a bad size".into()));
        }
        let end = offset.saturating_add(size);
        if (kind == *b"moov" || kind == *b"moof") && end > len {
            return Err(EngineError::Truncated(
                "the file ends inside its index (moov/moof)".into(),
            ));
        }
        if kind == *b"moov" || kind == *b"moof" {
            if size > MAX_INDEX_BOX {
                return Err(EngineError::Unreadable(
                    "an MP4 index box is too large".into(),
                ));
            }
            let body = input.read_exact_at(offset + header, (size - header) as usize)?;
            if kind == *b"moov" {
                saw_moov = true;
                movie_duration = parse_moov(&body, &mut traks, &mut trex)?;
            } else {
                parse_moof(&body, offset, &mut traks, &trex, len)?;
            }
        }
        offset = end;
    }
    if !saw_moov {
        // A moov-at-end file cut short has lost its index; so has a download still in progress.
        return Err(EngineError::Truncated(
            "the file has no index (moov box)".into(),
        ));
    }
    let has_video = traks.iter().any(|t| t.handler == *b"vide");
    let mut tracks = Vec::new();
    let mut tables = Vec::new();
    for t in traks.into_iter().filter(|t| t.handler == *b"soun") {
        let Some(entry) = t.entry else { continue };
        let sample_rate = entry.sample_rate;
        let priming = if t.edit_start > 0 && t.timescale > 0 {
            (t.edit_start as u128 * u128::from(sample_rate) / u128::from(t.timescale)) as u32
        } else {
            0
        };
        let end = t
            .samples
            .last()
            .map(|s| s.pts + i64::from(s.duration))
            .unwrap_or(0);
        let mut track = AudioTrack {
            index: tracks.len() as u32,
            codec: entry.codec,
            sample_rate,
            channels: entry.channels,
            language: t.language,
            codec_private: entry.codec_private,
            timescale: t.timescale.max(1),
            duration: None,
            bit_rate: entry.bit_rate,
            priming,
        };
        let seconds = track.seconds(end);
        track.duration = Some(seconds.max(0.0));
        if matches!(track.codec, Codec::Opus) && track.codec_private.len() >= 12 {
            track.priming = u32::from(u16::from_le_bytes([
                track.codec_private[10],
                track.codec_private[11],
            ]));
        }
        tracks.push(track);
        tables.push(t.samples);
    }
    let duration = tracks
        .iter()
        .filter_map(|t| t.duration)
        .fold(movie_duration, f64::max);
    let probe = Probe {
        container: Container::Mp4,
        duration,
        tracks,
        has_video,
    };
    TableDemuxer::new(input, probe, tables)
}

/// Reads `moov`: the tracks and (for fragmented files) the `trex` defaults. Returns the movie's
/// duration in seconds.
fn parse_moov(
    moov: &[u8],
    traks: &mut Vec<Trak>,
    trex: &mut HashMap<u32, (u32, u32)>,
) -> Result<f64, EngineError> {
    let mut duration = 0.0;
    for (kind, body) in children(moov)? {
        match &kind {
            b"mvhd" => {
                let mut c = Cursor::new(body);
                let v = c.u8()?;
                c.skip(3)?;
                let (scale, d) = if v == 1 {
                    c.skip(16)?;
                    (c.u32be()?, c.u64be()?)
                } else {
                    c.skip(8)?;
                    (c.u32be()?, u64::from(c.u32be()?))
                };
                if scale > 0 && d != u64::MAX && d != u64::from(u32::MAX) {
                    duration = d as f64 / f64::from(scale);
                }
            }
            b"trak" => traks.push(parse_trak(body)?),
            b"mvex" => {
                for (k, b) in children(body)? {
                    if k == *b"trex" {
                        let mut c = Cursor::new(b);
                        c.skip(4)?;
                        let id = c.u32be()?;
                        c.skip(4)?;
                        trex.insert(id, (c.u32be()?, c.u32be()?));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(duration)
}

fn parse_trak(trak: &[u8]) -> Result<Trak, EngineError> {
    let mut t = Trak {
        id: 0,
        handler: [0; 4],
        timescale: 0,
        language: None,
        entry: None,
        edit_start: 0,
        samples: Vec::new(),
    };
    if let Some(tkhd) = child(trak, b"tkhd")? {
        let mut c = Cursor::new(tkhd);
        let v = c.u8()?;
        c.skip(3 + if v == 1 { 16 } else { 8 })?;
        t.id = c.u32be()?;
    }
    if let Some(elst) = child(trak, b"edts")?
        .map(|e| child(e, b"elst"))
        .transpose()?
        .flatten()
    {
        let mut c = Cursor::new(elst);
        let v = c.u8()?;
        c.skip(3)?;
        let n = c.u32be()?;
        for _ in 0..n.min(16) {
            let media_time = if v == 1 {
                c.skip(8)?;
                c.u64be()? as i64
            } else {
                c.skip(4)?;
                i64::from(c.u32be()? as i32)
            };
            c.skip(4)?;
            if media_time >= 0 {
                t.edit_start = media_time;
                break;
            }
        }
    }
    let Some(mdia) = child(trak, b"mdia")? else {
        return Ok(t);
    };
    if let Some(mdhd) = child(mdia, b"mdhd")? {
        let mut c = Cursor::new(mdhd);
        let v = c.u8()?;
        c.skip(3 + if v == 1 { 16 } else { 8 })?;
        t.timescale = c.u32be()?;
        c.skip(if v == 1 { 8 } else { 4 })?;
        t.language = language(c.u16be()?);
    }
    if let Some(hdlr) = child(mdia, b"hdlr")? {
        let mut c = Cursor::new(hdlr);
        c.skip(8)?;
        t.handler = c.fourcc()?;
    }
    if t.handler != *b"soun" {
        return Ok(t);
    }
    let Some(stbl) = child(mdia, b"minf")?
        .map(|m| child(m, b"stbl"))
        .transpose()?
        .flatten()
    else {
        return Ok(t);
    };
    if let Some(stsd) = child(stbl, b"stsd")? {
        t.entry = Some(sound_entry(stsd)?);
    }
    t.samples = sample_table(stbl)?;
    Ok(t)
}

/// A full box's entries after version, flags and count: (cursor, count).
fn table_of(data: Option<&[u8]>, header: usize) -> Result<(Cursor<'_>, usize), EngineError> {
    let Some(data) = data else {
        return Ok((Cursor::new(&[]), 0));
    };
    let mut c = Cursor::new(data);
    c.skip(header - 4)?;
    let n = c.u32be()? as usize;
    Ok((c, n))
}

/// Expands stts/stsc/stsz/stco into one entry per sample.
fn sample_table(stbl: &[u8]) -> Result<Vec<Sample>, EngineError> {
    let bad = |what: &str| EngineError::Unreadable(format!("the sample table's {what} is damaged"));
    // Sizes.
    let (sizes, count) = if let Some(stsz) = child(stbl, b"stsz")? {
        let mut c = Cursor::new(stsz);
        c.skip(4)?;
        let constant = c.u32be()?;
        let n = c.u32be()? as usize;
        if n > MAX_SAMPLES {
            return Err(bad("sample count"));
        }
        if constant == 0 && n > c.remaining() / 4 {
            return Err(bad("size list"));
        }
        (Some((constant, c)), n)
    } else {
        (None, 0)
    };
    let Some((constant, mut size_c)) = sizes else {
        return Ok(Vec::new());
    };
    // Chunk offsets.
    let mut offsets = Vec::new();
    if let Some(stco) = child(stbl, b"stco")? {
        let (mut c, n) = table_of(Some(stco), 8)?;
        for _ in 0..n.min(c.remaining() / 4) {
            offsets.push(u64::from(c.u32be()?));
        }
    } else if let Some(co64) = child(stbl, b"co64")? {
        let (mut c, n) = table_of(Some(co64), 8)?;
        for _ in 0..n.min(c.remaining() / 8) {
            offsets.push(c.u64be()?);
        }
    }
    let (mut stsc, stsc_n) = table_of(child(stbl, b"stsc")?, 8)?;
    let mut runs = Vec::new();
    for _ in 0..stsc_n.min(stsc.remaining() / 12) {
        let first = stsc.u32be()?;
        let per = stsc.u32be()?;
        stsc.skip(4)?;
        runs.push((first, per));
    }
    let (mut stts, stts_n) = table_of(child(stbl, b"stts")?, 8)?;
    let mut times = Vec::new();
    for _ in 0..stts_n.min(stts.remaining() / 8) {
        times.push((stts.u32be()?, stts.u32be()?));
    }
    let mut times = times
        .into_iter()
        .flat_map(|(n, d)| std::iter::repeat(d).take(n as usize));

    let mut out = Vec::with_capacity(count);
    let mut pts = 0i64;
    let mut run = 0usize;
    for (i, chunk_offset) in offsets.iter().enumerate() {
        let chunk = i as u32 + 1;
        while run + 1 < runs.len() && runs[run + 1].0 <= chunk {
            run += 1;
        }
        let per = runs.get(run).map(|r| r.1).unwrap_or(0);
        let mut offset = *chunk_offset;
        for _ in 0..per {
            if out.len() >= count {
                break;
            }
            let size = if constant > 0 {
                constant
            } else {
                size_c.u32be()?
            };
            let duration = times.next().unwrap_or(0);
            out.push(Sample {
                offset,
                size,
                pts,
                duration,
            });
            offset = offset.saturating_add(u64::from(size));
            pts = pts.saturating_add(i64::from(duration));
        }
    }
    Ok(out)
}

/// Adds a `moof`'s samples (at file offset `moof_at`) to their tracks.
fn parse_moof(
    moof: &[u8],
    moof_at: u64,
    traks: &mut [Trak],
    trex: &HashMap<u32, (u32, u32)>,
    len: u64,
) -> Result<(), EngineError> {
    for (kind, traf) in children(moof)? {
        if kind != *b"traf" {
            continue;
        }
        let Some(tfhd) = child(traf, b"tfhd")? else {
            continue;
        };
        let mut c = Cursor::new(tfhd);
        let flags = c.u32be()? & 0xFF_FFFF;
        let id = c.u32be()?;
        let Some(trak) = traks.iter_mut().find(|t| t.id == id) else {
            continue;
        };
        if trak.handler != *b"soun" {
            continue;
        }
        let mut base = moof_at;
        if flags & 0x01 != 0 {
            base = c.u64be()?;
        }
        if flags & 0x02 != 0 {
            c.skip(4)?;
        }
        let (mut def_dur, mut def_size) = trex.get(&id).copied().unwrap_or((0, 0));
        if flags & 0x08 != 0 {
            def_dur = c.u32be()?;
        }
        if flags & 0x10 != 0 {
            def_size = c.u32be()?;
        }
        let mut dts = trak
            .samples
            .last()
            .map(|s| s.pts + i64::from(s.duration))
            .unwrap_or(0);
        if let Some(tfdt) = child(traf, b"tfdt")? {
            let mut c = Cursor::new(tfdt);
            dts = if c.u8()? == 1 {
                c.skip(3)?;
                c.u64be()? as i64
            } else {
                c.skip(3)?;
                i64::from(c.u32be()?)
            };
        }
        let mut next_offset = base;
        for (k, trun) in children(traf)? {
            if k != *b"trun" {
                continue;
            }
            let mut c = Cursor::new(trun);
            let tf = c.u32be()? & 0xFF_FFFF;
            let n = c.u32be()? as usize;
            let mut offset = next_offset;
            if tf & 0x01 != 0 {
                offset = base.saturating_add_signed(i64::from(c.u32be()? as i32));
            }
            if tf & 0x04 != 0 {
                c.skip(4)?;
            }
            for _ in 0..n {
                if trak.samples.len() >= MAX_SAMPLES || offset > len {
                    return Err(EngineError::Truncated(
                        "a fragment's samples run past the end of the file".into(),
                    ));
                }
                let duration = if tf & 0x100 != 0 { c.u32be()? } else { def_dur };
                let size = if tf & 0x200 != 0 {
                    c.u32be()?
                } else {
                    def_size
                };
                if tf & 0x400 != 0 {
                    c.skip(4)?;
                }
                if tf & 0x800 != 0 {
                    c.skip(4)?;
                }
                if size == 0 {
                    return Err(EngineError::Unreadable("an empty audio sample".into()));
                }
                trak.samples.push(Sample {
                    offset,
                    size,
                    pts: dts,
                    duration,
                });
                offset = offset.saturating_add(u64::from(size));
                dts = dts.saturating_add(i64::from(duration));
            }
            next_offset = offset;
        }
    }
    Ok(())
}
