//! AVI (RIFF): the `hdrl` list says what each stream is (`strh`, and `strf`'s WAVEFORMATEX for
//! sound); the audio chunks (`NNwb`) are found in `idx1` when the file has one, else by walking
//! the `movi` list's chunk headers (8 bytes each, the video chunks skipped), then in any
//! OpenDML `AVIX` parts after the first.

use super::bytes::Cursor;
use super::table::{Sample, TableDemuxer, MAX_SAMPLES};
use super::Input;
use crate::{AudioTrack, Codec, Container, EngineError, Probe};

/// Largest `hdrl` or `idx1` read into memory (idx1 is 16 bytes a chunk).
const MAX_INDEX: u64 = 64 << 20;

fn bad(what: &str) -> EngineError {
    EngineError::Unreadable(format!("a damaged AVI file: {what}"))
}

/// An audio stream of the header: its stream number and timing.
struct Stream {
    number: usize,
    track: AudioTrack,
    /// strh: ticks per chunk (VBR) or per sample, samples per second of ticks, bytes a sample.
    scale: u32,
    sample_size: u32,
}

/// The chunks of a RIFF list body at `start..end`: (id, data offset, size).
fn chunk_at(input: &mut Input, at: u64) -> Result<Option<([u8; 4], u64, u32)>, EngineError> {
    let head = input.read_up_to(at, 12)?;
    if head.len() < 8 {
        return Ok(None);
    }
    let mut c = Cursor::new(&head);
    let kind = c.fourcc()?;
    let size = c.u32le()?;
    Ok(Some((kind, at + 8, size)))
}

pub(crate) fn open(mut input: Input) -> Result<TableDemuxer, EngineError> {
    let len = input.len();
    let mut streams: Vec<Stream> = Vec::new();
    let mut has_video = false;
    let mut movis: Vec<(u64, u64)> = Vec::new();
    let mut idx1: Option<Vec<u8>> = None;
    // The first RIFF's chunks, then any AVIX parts' movi lists.
    let mut at = 12u64;
    let mut riff_end = 8 + u64::from(u32::from_le_bytes(
        input
            .read_up_to(4, 4)?
            .try_into()
            .map_err(|_| bad("RIFF header"))?,
    ));
    while let Some((kind, data, size)) = chunk_at(&mut input, at)? {
        let end = data + u64::from(size);
        if at >= riff_end.min(len) && &kind == b"RIFF" {
            // An OpenDML part: "RIFF" size "AVIX", then its own LIST movi.
            riff_end = end;
            at = data + 4;
            continue;
        }
        if &kind == b"LIST" {
            let list = input.read_up_to(data, 4)?;
            match list.as_slice() {
                b"hdrl" => {
                    if u64::from(size) > MAX_INDEX {
                        return Err(bad("header too large"));
                    }
                    let body = input.read_exact_at(data + 4, (size as usize).saturating_sub(4))?;
                    parse_hdrl(&body, &mut streams, &mut has_video)?;
                }
                b"movi" => movis.push((data + 4, end.min(len))),
                _ => {}
            }
        } else if &kind == b"idx1" && idx1.is_none() && movis.len() == 1 {
            if u64::from(size) > MAX_INDEX {
                return Err(bad("index too large"));
            }
            idx1 = Some(input.read_exact_at(data, size as usize)?);
        }
        at = end + u64::from(size & 1);
    }
    if streams.is_empty() && !has_video {
        return Err(bad("no stream headers"));
    }
    let mut tables: Vec<Vec<Sample>> = streams.iter().map(|_| Vec::new()).collect();
    let mut chunks: Vec<Vec<(u64, u32)>> = streams.iter().map(|_| Vec::new()).collect();
    let ids: Vec<[u8; 2]> = streams
        .iter()
        .map(|s| {
            let n = s.number.min(99);
            [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8]
        })
        .collect();
    let which = |kind: &[u8]| {
        ids.iter()
            .position(|n| kind.len() == 4 && kind[..2] == n[..] && &kind[2..] == b"wb")
    };
    let mut walk_from = 0;
    if let (Some(index), Some(&(movi, _))) = (&idx1, movis.first()) {
        // Offsets count from the "movi" fourcc, or (some writers) from the file's start.
        let first = index
            .get(8..12)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        let base = match first {
            Some(off) => {
                let rel = input.read_up_to(movi - 4 + u64::from(off), 4)?;
                if rel.as_slice() == index.get(..4).unwrap_or_default() {
                    movi - 4
                } else {
                    0
                }
            }
            None => movi - 4,
        };
        for e in index.chunks_exact(16) {
            if let Some(i) = which(&e[..4]) {
                let off = u64::from(u32::from_le_bytes([e[8], e[9], e[10], e[11]]));
                let size = u32::from_le_bytes([e[12], e[13], e[14], e[15]]);
                push(&mut chunks[i], (base + off + 8, size))?;
            }
        }
        walk_from = 1;
    }
    for &(start, end) in movis.iter().skip(walk_from) {
        let mut p = start;
        while p + 8 <= end {
            let Some((kind, data, size)) = chunk_at(&mut input, p)? else {
                break;
            };
            if &kind == b"LIST" {
                p = data + 4;
                continue;
            }
            if let Some(i) = which(&kind) {
                push(&mut chunks[i], (data, size))?;
            }
            p = data + u64::from(size) + u64::from(size & 1);
        }
    }
    let mut tracks = Vec::new();
    for ((stream, list), table) in streams.into_iter().zip(chunks).zip(tables.iter_mut()) {
        let mut pts = 0i64;
        for (offset, size) in list {
            let duration = if stream.sample_size > 0 {
                let samples = u64::from(size) / u64::from(stream.sample_size);
                let d = samples.saturating_mul(u64::from(stream.scale));
                u32::try_from(d).unwrap_or(u32::MAX)
            } else {
                stream.scale
            };
            table.push(Sample {
                offset,
                size,
                pts,
                duration,
            });
            pts = pts.saturating_add(i64::from(duration));
        }
        let mut track = stream.track;
        track.index = tracks.len() as u32;
        track.duration = Some(track.seconds(pts));
        tracks.push(track);
    }
    let duration = tracks.iter().filter_map(|t| t.duration).fold(0.0, f64::max);
    let probe = Probe {
        container: Container::Avi,
        duration,
        tracks,
        has_video,
    };
    TableDemuxer::new(input, probe, tables)
}

fn push(list: &mut Vec<(u64, u32)>, chunk: (u64, u32)) -> Result<(), EngineError> {
    if list.len() >= MAX_SAMPLES {
        return Err(bad("too many chunks"));
    }
    // Empty chunks carry no sound (some writers pad with them).
    if chunk.1 > 0 {
        list.push(chunk);
    }
    Ok(())
}

/// Reads each `strl` of the header list.
fn parse_hdrl(
    hdrl: &[u8],
    streams: &mut Vec<Stream>,
    has_video: &mut bool,
) -> Result<(), EngineError> {
    let mut number = 0;
    for (kind, body) in riff_children(hdrl)? {
        if kind != *b"LIST" || body.get(..4) != Some(b"strl".as_slice()) {
            continue;
        }
        let mut strh = None;
        let mut strf = None;
        for (k, b) in riff_children(&body[4..])? {
            match &k {
                b"strh" => strh = Some(b),
                b"strf" => strf = Some(b),
                _ => {}
            }
        }
        let this = number;
        number += 1;
        let Some(strh) = strh else { continue };
        let mut c = Cursor::new(strh);
        let fcc = c.fourcc()?;
        if &fcc == b"vids" {
            *has_video = true;
            continue;
        }
        if &fcc != b"auds" {
            continue;
        }
        c.skip(16)?; // handler, flags, priority, language, initial frames
        let scale = c.u32le()?;
        let rate = c.u32le()?;
        c.skip(16)?; // start, length, buffer size, quality
        let sample_size = c.u32le()?;
        let Some(strf) = strf else { continue };
        let mut f = Cursor::new(strf);
        let mut tag = f.u16le()?;
        let channels = f.u16le()?;
        let sample_rate = f.u32le()?;
        let avg = f.u32le()?;
        f.skip(2)?;
        let bits = f.u16le().unwrap_or(16);
        if tag == 0xFFFE && f.remaining() >= 10 {
            // WAVE_FORMAT_EXTENSIBLE: the real tag starts the sub-format GUID.
            f.skip(10)?;
            tag = f.u16le()?;
        }
        let codec = match tag {
            0x0055 => Codec::Mp3,
            0x0001 => Codec::Pcm {
                bits,
                float: false,
                big_endian: false,
            },
            0x0003 => Codec::Pcm {
                bits,
                float: true,
                big_endian: false,
            },
            0x0050 => Codec::Other("mp2".into()),
            0x2000 => Codec::Other("ac-3".into()),
            0x2001 => Codec::Other("dts".into()),
            0x00FF | 0x1600 | 0x706D => Codec::Other("aac (in AVI)".into()),
            other => Codec::Other(format!("format {other:#06x}")),
        };
        // Timing falls back on the byte rate when the stream header says nothing usable.
        let (scale, timescale, sample_size) = if scale > 0 && rate > 0 {
            (scale, rate, sample_size)
        } else {
            (1, avg.max(1), 1)
        };
        streams.push(Stream {
            number: this,
            track: AudioTrack {
                index: 0,
                codec,
                sample_rate,
                channels,
                language: None,
                codec_private: Vec::new(),
                timescale,
                duration: None,
                bit_rate: (avg > 0).then_some(u64::from(avg) * 8),
                priming: 0,
            },
            scale,
            sample_size,
        });
    }
    Ok(())
}

/// The chunks of a RIFF body already read: (id, body).
fn riff_children(data: &[u8]) -> Result<Vec<super::mp4_entry::Mp4Box<'_>>, EngineError> {
    let mut out = Vec::new();
    let mut c = Cursor::new(data);
    while c.remaining() >= 8 {
        let kind = c.fourcc()?;
        let size = c.u32le()? as usize;
        let body = c.take(size.min(c.remaining()))?;
        out.push((kind, body));
        if size % 2 == 1 && c.remaining() > 0 {
            c.skip(1)?;
        }
    }
    Ok(out)
}
