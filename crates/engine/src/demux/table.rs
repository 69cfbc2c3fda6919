//! A demuxer over a sample table read whole from the index (MP4, AVI): each packet is one
//! `read_exact_at` of its byte range, and a seek is a binary search.

use super::{Demuxer, Input};
use crate::{EngineError, Packet, Probe};

/// Where one packet's bytes are and when it plays.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sample {
    pub offset: u64,
    pub size: u32,
    /// In the track's timescale.
    pub pts: i64,
    pub duration: u32,
}

/// Most samples one track may have: 16 M AAC frames are 95 hours at 48 kHz. Caps what a
/// hostile index can make us allocate.
pub(crate) const MAX_SAMPLES: usize = 16 << 20;

/// Samples that follow one another in the file (an MP4 chunk: ffmpeg writes about half a
/// second of sound per chunk) are read together, up to this many bytes: one Blob slice in the
/// browser instead of one per packet, and still only the audio's bytes.
const RUN_BYTES: u64 = 256 << 10;

pub(crate) struct TableDemuxer {
    pub input: Input,
    pub probe: Probe,
    /// By audio track index.
    pub tables: Vec<Vec<Sample>>,
    pub selected: usize,
    pub next: usize,
    /// Bytes of the current run of contiguous samples, starting at file offset `run_at`.
    run: Vec<u8>,
    run_at: u64,
}

impl TableDemuxer {
    /// Checks that every sample lies inside the source: a file cut short is said at once,
    /// rather than after part of the output was written.
    pub fn new(input: Input, probe: Probe, tables: Vec<Vec<Sample>>) -> Result<Self, EngineError> {
        let len = input.len();
        for table in &tables {
            if let Some(s) = table
                .iter()
                .find(|s| s.offset.saturating_add(u64::from(s.size)) > len)
            {
                return Err(EngineError::Truncated(format!(
                    "a sample at {} ends past the end of the file ({len} bytes)",
                    s.offset
                )));
            }
        }
        Ok(Self {
            input,
            probe,
            tables,
            selected: 0,
            next: 0,
            run: Vec::new(),
            run_at: 0,
        })
    }
}

impl Demuxer for TableDemuxer {
    fn probe(&self) -> &Probe {
        &self.probe
    }
    fn next_packet(&mut self) -> Result<Option<Packet>, EngineError> {
        let Some(table) = self.tables.get(self.selected) else {
            return Ok(None);
        };
        let Some(s) = table.get(self.next).copied() else {
            return Ok(None);
        };
        let in_run = s.offset >= self.run_at
            && s.offset + u64::from(s.size) <= self.run_at + self.run.len() as u64;
        if !in_run {
            let mut end = s.offset + u64::from(s.size);
            for next in &table[self.next + 1..] {
                if next.offset != end || end + u64::from(next.size) - s.offset > RUN_BYTES {
                    break;
                }
                end += u64::from(next.size);
            }
            self.run = self
                .input
                .read_exact_at(s.offset, (end - s.offset) as usize)?;
            self.run_at = s.offset;
        }
        self.next += 1;
        let from = (s.offset - self.run_at) as usize;
        let data = self.run[from..from + s.size as usize].to_vec();
        Ok(Some(Packet {
            data,
            pts: s.pts,
            duration: s.duration,
        }))
    }
    fn select(&mut self, track: u32) -> Result<(), EngineError> {
        let i = track as usize;
        if i >= self.tables.len() {
            return Err(EngineError::Unsupported(format!("no audio track {track}")));
        }
        self.selected = i;
        self.next = 0;
        Ok(())
    }
    fn seek(&mut self, seconds: f64) -> Result<f64, EngineError> {
        let (Some(track), Some(table)) = (
            self.probe.tracks.get(self.selected),
            self.tables.get(self.selected),
        ) else {
            return Ok(0.0);
        };
        let at = table.partition_point(|s| track.seconds(s.pts) <= seconds);
        self.next = at.saturating_sub(1);
        Ok(table
            .get(self.next)
            .map(|s| track.seconds(s.pts))
            .unwrap_or(0.0))
    }
    fn bytes_read(&self) -> u64 {
        self.input.bytes_read()
    }
}
