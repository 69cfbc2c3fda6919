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

/// The next samples are read together, up to this many bytes or [`RUN_SAMPLES`] samples, as
/// one [`crate::SourceReader::read_ranges`] of their ranges (neighbours merged): one read in the
/// browser instead of one per packet (a 3-minute 1080p MP4 interleaves its AAC as 5,407 runs of
/// about one frame between video frames), and still only the audio's bytes.
const RUN_BYTES: u64 = 256 << 10;
const RUN_SAMPLES: usize = 1024;
/// A run spans at most this much of the file (one sample may span more), and ends where the
/// next sample lies before the last one: in the browser each run is one window of the file,
/// fetched ahead while the packets before it are decoded ([`Demuxer::window_ahead`]). Each
/// window is held in the module's memory until used, so its size is memory: on the 3-minute
/// clip's copy (bench/engine-speed.mjs, 3 runs each), 8 MB windows three ahead
/// grew the browser by 68–95 MB, 4 MB three ahead 36–45 MB, 4 MB two ahead 22–31 MB, 2 MB three
/// ahead 17–25 MB but slower (0.58–0.95 s against 0.46–0.96 s for 4 MB two ahead).
pub const RUN_SPAN: u64 = 4 << 20;

/// The end (exclusive) of the run of samples that starts at `from`.
fn run_end(table: &[Sample], from: usize) -> usize {
    let Some(first) = table.get(from) else {
        return from;
    };
    let (lo, mut hi) = (
        first.offset,
        first.offset.saturating_add(u64::from(first.size)),
    );
    let mut bytes = u64::from(first.size);
    let mut i = from + 1;
    while let Some(s) = table.get(i) {
        let end = s.offset.saturating_add(u64::from(s.size));
        bytes += u64::from(s.size);
        if i - from >= RUN_SAMPLES || bytes > RUN_BYTES || s.offset < hi || end - lo > RUN_SPAN {
            break;
        }
        hi = end;
        i += 1;
    }
    i
}

pub(crate) struct TableDemuxer {
    pub input: Input,
    pub probe: Probe,
    /// By audio track index.
    pub tables: Vec<Vec<Sample>>,
    pub selected: usize,
    pub next: usize,
    /// Bytes of the samples `run_first..run_first + run_starts.len()` of the selected table,
    /// one after another; `run_starts[k]` is where sample `run_first + k` begins in `run`.
    run: Vec<u8>,
    run_first: usize,
    run_starts: Vec<usize>,
    /// The first sample [`Demuxer::window_ahead`] has not planned yet, and the passes so far.
    ahead: usize,
    passes: u32,
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
            run_first: 0,
            run_starts: Vec::new(),
            ahead: 0,
            passes: 0,
        })
    }
}

impl TableDemuxer {
    /// Reads the run of samples from `next` on ([`run_end`]) in one read of their ranges.
    fn fill_run(&mut self) -> Result<(), EngineError> {
        let Some(table) = self.tables.get(self.selected) else {
            return Ok(());
        };
        let mut ranges: Vec<(u64, usize)> = Vec::new();
        let mut starts = Vec::new();
        let mut total = 0u64;
        let end = run_end(table, self.next);
        for s in table.get(self.next..end).unwrap_or_default() {
            let size = u64::from(s.size);
            starts.push(total as usize);
            total += size;
            match ranges.last_mut() {
                Some((offset, len)) if *offset + *len as u64 == s.offset => *len += s.size as usize,
                _ => ranges.push((s.offset, s.size as usize)),
            }
        }
        self.run = self.input.read_ranges(&ranges)?;
        self.run_first = self.next;
        self.run_starts = starts;
        Ok(())
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
        if self.next < self.run_first || self.next >= self.run_first + self.run_starts.len() {
            self.fill_run()?;
        }
        let k = self.next - self.run_first;
        let from = self.run_starts.get(k).copied().unwrap_or(0);
        let data = self
            .run
            .get(from..from + s.size as usize)
            .ok_or_else(|| EngineError::Read("a sample's bytes were not read".into()))?
            .to_vec();
        self.next += 1;
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
        // The run holds another track's samples, or the first pass's end.
        self.run_starts.clear();
        self.ahead = 0;
        self.passes += 1;
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
        self.ahead = self.next;
        Ok(table
            .get(self.next)
            .map(|s| track.seconds(s.pts))
            .unwrap_or(0.0))
    }
    fn bytes_read(&self) -> u64 {
        self.input.bytes_read()
    }
    fn window_ahead(&mut self, until: f64) -> Option<(u64, u64)> {
        let table = self.tables.get(self.selected)?;
        let track = self.probe.tracks.get(self.selected)?;
        // Neither the packets handed out nor those of the run in hand need reading again; the
        // runs after them start where `fill_run`'s will, so each window is one run.
        let from = self.ahead.max(self.next + self.buffered());
        let end = run_end(table, from);
        let (first, last) = (table.get(from)?, table.get(end.checked_sub(1)?)?);
        // The job reads up to the first packet at or after `until` (to learn it is past the
        // end), so the run holding that packet is the last one wanted.
        let before = from.checked_sub(1).and_then(|i| table.get(i));
        if before.is_some_and(|p| track.seconds(p.pts) >= until) {
            return None;
        }
        self.ahead = end;
        Some((
            first.offset,
            last.offset.saturating_add(u64::from(last.size)),
        ))
    }
    fn buffered(&self) -> usize {
        let run_end = self.run_first + self.run_starts.len();
        if self.next >= self.run_first {
            run_end.saturating_sub(self.next)
        } else {
            0
        }
    }
    fn pass(&self) -> u32 {
        self.passes
    }
}
