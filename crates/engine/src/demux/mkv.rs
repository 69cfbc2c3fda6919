//! Matroska and WebM. The Tracks (found before the first Cluster, or through the SeekHead) say
//! what each track is; then the Clusters are walked element by element, reading only each
//! block's first bytes to learn its track, and the whole block only when it is the selected
//! audio track's. Clusters of unknown size (live WebM) end at the next top-level element.

use std::collections::VecDeque;

use super::ebml::{self, id};
use super::{Demuxer, Input};
use crate::{AudioTrack, Codec, Container, EngineError, Packet, Probe};

/// Largest header element (Info, Tracks, SeekHead) read into memory.
const MAX_HEADER_ELEMENT: u64 = 16 << 20;
/// Largest audio block read: far above any real one.
const MAX_BLOCK: u64 = 64 << 20;
/// Bytes read to learn an element's id, size and (for blocks) track number.
const PEEK: usize = 24;

/// What the demuxer keeps of an audio track besides its [`AudioTrack`].
struct Extra {
    number: u64,
    /// Nanoseconds per frame, when the track says.
    default_duration: Option<u64>,
    /// Bytes removed from every frame ("header stripping"), put back before use.
    prefix: Vec<u8>,
}

struct Cluster {
    end: Option<u64>,
    timecode: i64,
}

pub(crate) struct MkvDemuxer {
    input: Input,
    probe: Probe,
    extra: Vec<Extra>,
    /// Nanoseconds per timestamp tick.
    scale: u64,
    first_cluster: u64,
    segment_end: u64,
    selected: usize,
    pos: u64,
    cluster: Option<Cluster>,
    queue: VecDeque<Packet>,
}

fn bad(what: &str) -> EngineError {
    EngineError::Unreadable(format!("a damaged Matroska file: {what}"))
}

impl MkvDemuxer {
    pub(crate) fn open(mut input: Input) -> Result<Self, EngineError> {
        let len = input.len();
        let (ebml_id, ebml_size, hlen) = ebml::header(&input.read_up_to(0, 16)?)?;
        let ebml_size = ebml_size
            .filter(|s| *s < 4096)
            .ok_or_else(|| bad("EBML header"))?;
        if ebml_id != id::EBML {
            return Err(bad("EBML header"));
        }
        let head = input.read_exact_at(hlen as u64, ebml_size as usize)?;
        if let Some((_, doc)) = ebml::children(&head)?
            .into_iter()
            .find(|(i, _)| *i == id::DOC_TYPE)
        {
            if doc != b"matroska" && doc != b"webm" {
                return Err(bad("not Matroska or WebM"));
            }
        }
        let seg_at = hlen as u64 + ebml_size;
        let (seg_id, seg_size, seg_hlen) = ebml::header(&input.read_up_to(seg_at, 16)?)?;
        if seg_id != id::SEGMENT {
            return Err(bad("no Segment"));
        }
        let seg_start = seg_at + seg_hlen as u64;
        let segment_end = seg_size
            .map(|s| seg_start.saturating_add(s).min(len))
            .unwrap_or(len);

        let mut info = None;
        let mut tracks = None;
        let mut seek_tracks = None;
        let mut first_cluster = None;
        let mut pos = seg_start;
        while pos < segment_end {
            let (eid, size, hlen) = ebml::header(&input.read_up_to(pos, 16)?)?;
            let body_at = pos + hlen as u64;
            if eid == id::CLUSTER {
                first_cluster = Some(pos);
                break;
            }
            let size = size.ok_or_else(|| bad("an element of unknown size"))?;
            if matches!(eid, id::INFO | id::TRACKS | id::SEEK_HEAD) {
                if size > MAX_HEADER_ELEMENT {
                    return Err(bad("a header element is too large"));
                }
                let body = input.read_exact_at(body_at, size as usize)?;
                match eid {
                    id::INFO => info = Some(body),
                    id::TRACKS => tracks = Some(body),
                    _ => seek_tracks = seek_position(&body, id::TRACKS)?.map(|p| seg_start + p),
                }
            }
            pos = body_at.saturating_add(size);
        }
        if tracks.is_none() {
            if let Some(at) = seek_tracks {
                let (eid, size, hlen) = ebml::header(&input.read_up_to(at, 16)?)?;
                let size = size.filter(|s| *s <= MAX_HEADER_ELEMENT);
                if let (id::TRACKS, Some(size)) = (eid, size) {
                    tracks = Some(input.read_exact_at(at + hlen as u64, size as usize)?);
                }
            }
        }
        let tracks = tracks.ok_or_else(|| bad("no Tracks"))?;
        let (mut scale, mut duration) = (1_000_000u64, 0.0);
        if let Some(info) = info {
            for (eid, body) in ebml::children(&info)? {
                match eid {
                    id::TIMECODE_SCALE => scale = ebml::uint(body).max(1),
                    id::DURATION => duration = ebml::float(body).unwrap_or(0.0),
                    _ => {}
                }
            }
        }
        let duration = (duration * scale as f64 / 1e9).max(0.0);
        let timescale = u32::try_from((1_000_000_000 / scale).max(1)).unwrap_or(1000);
        let (mut audio, extra, has_video) = parse_tracks(&tracks, timescale)?;
        // The segment's duration is that of its longest track: an upper bound for each. It is
        // on the blocks' timeline, where an Opus track's priming comes first; a track's own
        // duration is presentation time, after its priming (dropping it again would count it
        // twice: the output ran 6.5 ms long).
        for t in &mut audio {
            let priming = f64::from(t.priming) / f64::from(t.sample_rate.max(1));
            t.duration = (duration > 0.0).then_some((duration - priming).max(0.0));
        }
        let probe = Probe {
            container: Container::Matroska,
            duration: if duration.is_finite() { duration } else { 0.0 },
            tracks: audio,
            has_video,
        };
        let first_cluster = first_cluster.unwrap_or(segment_end);
        Ok(Self {
            input,
            probe,
            extra,
            scale,
            first_cluster,
            segment_end,
            selected: 0,
            pos: first_cluster,
            cluster: None,
            queue: VecDeque::new(),
        })
    }

    /// Nanoseconds as timestamp ticks.
    fn ticks(&self, ns: u64) -> i64 {
        i64::try_from(ns / self.scale).unwrap_or(i64::MAX)
    }

    /// Queues the frames of a block of the selected track.
    fn block(
        &mut self,
        data: &[u8],
        cluster_tc: i64,
        block_duration: Option<u64>,
    ) -> Result<(), EngineError> {
        let (_, tn_len, _) = ebml::vint(data)?;
        let rest = data.get(tn_len..).ok_or_else(|| bad("block"))?;
        if rest.len() < 3 {
            return Err(bad("block"));
        }
        let rel = i64::from(i16::from_be_bytes([rest[0], rest[1]]));
        let lacing = (rest[2] >> 1) & 3;
        let body = &rest[3..];
        let (sizes, header) = if lacing == 0 {
            (vec![body.len()], 0)
        } else {
            ebml::lace_sizes(body, lacing)?
        };
        let extra = &self.extra[self.selected];
        let frame_ticks = extra.default_duration.map(|d| self.ticks(d));
        let pts = cluster_tc.saturating_add(rel);
        let mut at = header;
        for (i, size) in sizes.iter().enumerate() {
            let frame = body.get(at..at + size).ok_or_else(|| bad("lacing"))?;
            at += size;
            let duration = match (sizes.len(), block_duration, frame_ticks) {
                (1, Some(d), _) => d as i64,
                (_, _, Some(t)) => t,
                _ => 0,
            };
            self.queue.push_back(Packet {
                data: [extra.prefix.as_slice(), frame].concat(),
                pts: pts.saturating_add(frame_ticks.unwrap_or(0).saturating_mul(i as i64)),
                duration: u32::try_from(duration.max(0)).unwrap_or(0),
            });
        }
        Ok(())
    }

    /// Whether a block body starting with `peek` is the selected track's.
    fn is_selected(&self, peek: &[u8]) -> bool {
        ebml::vint(peek)
            .map(|(n, _, _)| self.extra.get(self.selected).is_some_and(|e| e.number == n))
            .unwrap_or(false)
    }
}

/// The Timecode of a cluster from its first bytes: the first child, after a CRC-32 or Void
/// element when the writer put one there (ffmpeg's Matroska clusters start with a CRC-32).
fn cluster_timecode(mut first: &[u8]) -> Option<u64> {
    for _ in 0..3 {
        let (eid, size, h) = ebml::header(first).ok()?;
        let end = h.checked_add(usize::try_from(size?).ok()?)?;
        let body = first.get(h..end)?;
        match eid {
            id::TIMECODE => return Some(ebml::uint(body)),
            id::CRC32 | id::VOID => first = &first[end..],
            _ => return None,
        }
    }
    None
}

/// Where the SeekHead says an element of `target` id is, relative to the segment's data.
fn seek_position(seek_head: &[u8], target: u32) -> Result<Option<u64>, EngineError> {
    for (eid, seek) in ebml::children(seek_head)? {
        if eid != id::SEEK {
            continue;
        }
        let (mut which, mut at) = (0, None);
        for (k, v) in ebml::children(seek)? {
            match k {
                id::SEEK_ID => which = ebml::uint(v) as u32,
                id::SEEK_POSITION => at = Some(ebml::uint(v)),
                _ => {}
            }
        }
        if which == target {
            return Ok(at);
        }
    }
    Ok(None)
}

/// The audio tracks, what else the demuxer keeps of them, and whether there is a video track.
fn parse_tracks(
    tracks: &[u8],
    timescale: u32,
) -> Result<(Vec<AudioTrack>, Vec<Extra>, bool), EngineError> {
    let mut audio = Vec::new();
    let mut extras = Vec::new();
    let mut has_video = false;
    for (eid, entry) in ebml::children(tracks)? {
        if eid != id::TRACK_ENTRY {
            continue;
        }
        let (mut number, mut kind, mut codec_id, mut private) = (0, 0, String::new(), Vec::new());
        // Matroska's default language is English.
        let mut language = Some("eng".to_string());
        let (mut rate, mut channels, mut bits) = (8000.0, 1u64, 0u64);
        let (mut default_duration, mut delay) = (None, 0u64);
        let mut prefix = Vec::new();
        let mut encoded = false;
        for (k, v) in ebml::children(entry)? {
            match k {
                id::TRACK_NUMBER => number = ebml::uint(v),
                id::TRACK_TYPE => kind = ebml::uint(v),
                id::CODEC_ID => {
                    codec_id = String::from_utf8_lossy(v)
                        .trim_end_matches('\0')
                        .to_string()
                }
                id::CODEC_PRIVATE => private = v.to_vec(),
                id::LANGUAGE => {
                    let l = String::from_utf8_lossy(v)
                        .trim_end_matches('\0')
                        .to_string();
                    language = (l != "und" && !l.is_empty()).then_some(l);
                }
                id::DEFAULT_DURATION => default_duration = Some(ebml::uint(v)).filter(|d| *d > 0),
                id::CODEC_DELAY => delay = ebml::uint(v),
                id::AUDIO => {
                    for (a, av) in ebml::children(v)? {
                        match a {
                            id::SAMPLING_FREQUENCY => rate = ebml::float(av).unwrap_or(rate),
                            id::CHANNELS => channels = ebml::uint(av),
                            id::BIT_DEPTH => bits = ebml::uint(av),
                            _ => {}
                        }
                    }
                }
                id::CONTENT_ENCODINGS => match header_stripping(v)? {
                    Some(p) => prefix = p,
                    None => encoded = true,
                },
                _ => {}
            }
        }
        match kind {
            1 => has_video = true,
            2 => {}
            _ => continue,
        }
        if kind != 2 {
            continue;
        }
        let bits16 = u16::try_from(bits).unwrap_or(0);
        let codec = match codec_id.as_str() {
            _ if encoded => Codec::Other(format!("{codec_id} (compressed)")),
            "A_AAC" | "A_AAC/MPEG4/LC" | "A_AAC/MPEG2/LC" if !private.is_empty() => Codec::Aac,
            "A_MPEG/L3" => Codec::Mp3,
            "A_OPUS" => Codec::Opus,
            "A_VORBIS" => Codec::Vorbis,
            "A_FLAC" => Codec::Flac,
            "A_ALAC" => Codec::Alac,
            "A_MPEG/L2" => Codec::Other("mp2".into()),
            "A_PCM/INT/LIT" => Codec::Pcm {
                bits: bits16,
                float: false,
                big_endian: false,
            },
            "A_PCM/INT/BIG" => Codec::Pcm {
                bits: bits16,
                float: false,
                big_endian: true,
            },
            "A_PCM/FLOAT/IEEE" => Codec::Pcm {
                bits: bits16,
                float: true,
                big_endian: false,
            },
            other => Codec::Other(other.trim_start_matches("A_").to_ascii_lowercase()),
        };
        let sample_rate = rate as u32;
        let priming = match codec {
            Codec::Opus if private.len() >= 12 => {
                u32::from(u16::from_le_bytes([private[10], private[11]]))
            }
            Codec::Opus => (delay.saturating_mul(48_000) / 1_000_000_000) as u32,
            _ => 0,
        };
        audio.push(AudioTrack {
            index: audio.len() as u32,
            codec,
            sample_rate,
            channels: u16::try_from(channels).unwrap_or(0),
            language,
            codec_private: private,
            timescale,
            duration: None,
            bit_rate: None,
            priming,
        });
        extras.push(Extra {
            number,
            default_duration,
            prefix,
        });
    }
    Ok((audio, extras, has_video))
}

/// The bytes stripped from every frame, when the track's only encoding is header stripping
/// (compression 3); `None` for any other encoding (zlib…), which the engine does not undo.
fn header_stripping(encodings: &[u8]) -> Result<Option<Vec<u8>>, EngineError> {
    let mut prefix = None;
    for (k, enc) in ebml::children(encodings)? {
        if k != id::CONTENT_ENCODING {
            continue;
        }
        let Some((_, comp)) = ebml::children(enc)?
            .into_iter()
            .find(|(i, _)| *i == id::CONTENT_COMPRESSION)
        else {
            return Ok(None);
        };
        let (mut algo, mut settings) = (0, Vec::new());
        for (c, v) in ebml::children(comp)? {
            match c {
                id::CONTENT_COMP_ALGO => algo = ebml::uint(v),
                id::CONTENT_COMP_SETTINGS => settings = v.to_vec(),
                _ => {}
            }
        }
        if algo != 3 {
            return Ok(None);
        }
        prefix = Some(settings);
    }
    Ok(prefix)
}

impl Demuxer for MkvDemuxer {
    fn probe(&self) -> &Probe {
        &self.probe
    }

    fn next_packet(&mut self) -> Result<Option<Packet>, EngineError> {
        loop {
            if let Some(p) = self.queue.pop_front() {
                return Ok(Some(p));
            }
            if self.pos >= self.segment_end || self.extra.is_empty() {
                return Ok(None);
            }
            if let Some(Cluster { end: Some(end), .. }) = self.cluster {
                if self.pos >= end {
                    self.cluster = None;
                    continue;
                }
            }
            let peek = self.input.read_up_to(self.pos, PEEK)?;
            let Ok((eid, size, hlen)) = ebml::header(&peek) else {
                // Damage inside a cluster ends the track there, as players do.
                return Ok(None);
            };
            let body_at = self.pos + hlen as u64;
            let Some(cluster) = &self.cluster else {
                if eid == id::CLUSTER {
                    self.cluster = Some(Cluster {
                        end: size.map(|s| body_at.saturating_add(s)),
                        timecode: 0,
                    });
                    self.pos = body_at;
                    continue;
                }
                let Some(size) = size else { return Ok(None) };
                self.pos = body_at.saturating_add(size);
                continue;
            };
            if cluster.end.is_none() && id::is_top_level(eid) {
                self.cluster = None;
                continue;
            }
            let Some(size) = size else {
                return Err(bad("an element of unknown size inside a cluster"));
            };
            let cluster_tc = cluster.timecode;
            let next = body_at.saturating_add(size);
            match eid {
                id::TIMECODE if size <= 8 => {
                    let v = self.input.read_exact_at(body_at, size as usize)?;
                    if let Some(c) = &mut self.cluster {
                        c.timecode = i64::try_from(ebml::uint(&v)).unwrap_or(0);
                    }
                }
                id::SIMPLE_BLOCK if self.is_selected(&peek[hlen.min(peek.len())..]) => {
                    if size > MAX_BLOCK {
                        return Err(bad("a block is too large"));
                    }
                    let data = self.input.read_exact_at(body_at, size as usize)?;
                    self.block(&data, cluster_tc, None)?;
                }
                id::BLOCK_GROUP => {
                    // The Block comes first in a group: its track is in the peeked bytes.
                    let inner = &peek[hlen.min(peek.len())..];
                    let ours = ebml::header(inner)
                        .ok()
                        .filter(|(i, _, _)| *i == id::BLOCK)
                        .is_some_and(|(_, _, h)| self.is_selected(&inner[h.min(inner.len())..]));
                    if ours {
                        if size > MAX_BLOCK {
                            return Err(bad("a block is too large"));
                        }
                        let group = self.input.read_exact_at(body_at, size as usize)?;
                        let children = ebml::children(&group)?;
                        let duration = children
                            .iter()
                            .find(|(i, _)| *i == id::BLOCK_DURATION)
                            .map(|(_, v)| ebml::uint(v));
                        if let Some((_, block)) = children.iter().find(|(i, _)| *i == id::BLOCK) {
                            self.block(block, cluster_tc, duration)?;
                        }
                    }
                }
                _ => {}
            }
            self.pos = next;
        }
    }

    fn select(&mut self, track: u32) -> Result<(), EngineError> {
        let i = track as usize;
        if i >= self.extra.len() {
            return Err(EngineError::Unsupported(format!("no audio track {track}")));
        }
        self.selected = i;
        self.pos = self.first_cluster;
        self.cluster = None;
        self.queue.clear();
        Ok(())
    }

    /// Walks the clusters' headers (one small read each) to the last one starting at or
    /// before `seconds`; the packets before `seconds` in it are read and dropped by the job.
    fn seek(&mut self, seconds: f64) -> Result<f64, EngineError> {
        let Some(track) = self.probe.tracks.get(self.selected).cloned() else {
            return Ok(0.0);
        };
        let mut best = (self.first_cluster, 0.0);
        let mut pos = self.first_cluster;
        while pos < self.segment_end {
            let peek = self.input.read_up_to(pos, 48)?;
            let Ok((eid, size, hlen)) = ebml::header(&peek) else {
                break;
            };
            if eid == id::CLUSTER {
                let Some(tc) = cluster_timecode(&peek[hlen.min(peek.len())..]) else {
                    break;
                };
                let at = track.seconds(i64::try_from(tc).unwrap_or(i64::MAX));
                if at > seconds {
                    break;
                }
                best = (pos, at);
            }
            let Some(size) = size else { break };
            pos = pos + hlen as u64 + size;
        }
        self.pos = best.0;
        self.cluster = None;
        self.queue.clear();
        Ok(best.1)
    }

    fn bytes_read(&self) -> u64 {
        self.input.bytes_read()
    }
}
