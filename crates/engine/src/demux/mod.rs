//! Containers in: each demuxer reads the index, then hands out one audio track's packets in
//! decode order, reading only their byte ranges.
//!
//! The parsers are our own, not the `mp4`, `matroska-demuxer` or symphonia format crates: those
//! read through `Read + Seek` with their own buffering (symphonia's `MediaSourceStream` reads
//! ahead in blocks up to 32 KiB, so skipping each interleaved video frame still fetches it),
//! `matroska-demuxer` hands out every track's frames (the video's bytes are read to be dropped),
//! `mp4` 0.14 has no fragmented-MP4 sample iteration over trun defaults and no AVI exists among
//! them. Reading only the audio samples' ranges is the point of the engine (about 4 MB of a
//! 258 MB 1080p file), so the index walk is ours, with every length checked.

mod avi;
pub(crate) mod bytes;
mod ebml;
mod mkv;
mod mp4;
mod mp4_entry;
mod table;

/// The most of the file one read-ahead window spans ([`Demuxer::window_ahead`]).
pub use table::RUN_SPAN as WINDOW_BYTES;

use crate::{EngineError, Packet, Probe, Source, SourceReader};

/// One open input.
pub trait Demuxer {
    /// What the index says the input holds.
    fn probe(&self) -> &Probe;
    /// The next packet of the selected audio track (by [`crate::AudioTrack::index`]; the first
    /// audio track until [`Demuxer::select`] is called), or `None` at its end.
    fn next_packet(&mut self) -> Result<Option<Packet>, EngineError>;
    /// Chooses the audio track whose packets [`Demuxer::next_packet`] returns, and goes back
    /// to its first packet (a second pass, for loudness, calls it again).
    fn select(&mut self, track: u32) -> Result<(), EngineError>;
    /// Goes to the last packet that starts at or before `seconds` (presentation time, see
    /// [`crate::AudioTrack::seconds`]) on the selected track, or near before it (Matroska goes
    /// to the cluster), so a trim reads only what it keeps. Returns that position in seconds.
    fn seek(&mut self, seconds: f64) -> Result<f64, EngineError>;
    /// Bytes read from the source so far.
    fn bytes_read(&self) -> u64;
    /// The next window of the file to fetch ahead of the packets, `(start, end)` in bytes: the
    /// bytes the next read not yet planned will ask for (its ranges lie inside). `None` when
    /// all are planned, or when the container is read as it is parsed (Matroska).
    /// [`Demuxer::select`] and [`Demuxer::seek`] plan again from their packet. None is planned
    /// past the one holding the first packet at or after `until` seconds (a trim's end: the
    /// job reads that packet to learn it is past the end, and nothing after it). For a source
    /// whose reads are cheaper asynchronous and several at once (a browser `Blob`).
    fn window_ahead(&mut self, until: f64) -> Option<(u64, u64)> {
        let _ = until;
        None
    }
    /// Packets read from the source but not yet handed out: while some are left, the next
    /// packet needs no read. `usize::MAX` when not known (the container is read as parsed).
    fn buffered(&self) -> usize {
        usize::MAX
    }
    /// How many times a track was selected: each selection is a new pass over the file.
    fn pass(&self) -> u32 {
        0
    }
}

/// The source as the demuxers read it. Its read-ahead only serves header walks; samples are
/// read with [`SourceReader::read_exact_at`], exactly their bytes.
pub(crate) type Input = SourceReader<Box<dyn Source>>;

/// Read-ahead of header walks: small, since most reads are a box or element header.
const HEADER_READ_AHEAD: usize = 4096;

/// Opens `source`, sniffing the container from its first bytes.
pub fn open<S: Source + 'static>(source: S) -> Result<Box<dyn Demuxer>, EngineError> {
    let boxed: Box<dyn Source> = Box::new(source);
    let mut input = SourceReader::new(boxed, HEADER_READ_AHEAD);
    let head = input.read_up_to(0, 12)?;
    if head.len() >= 4 && head[..4] == [0x1A, 0x45, 0xDF, 0xA3] {
        return Ok(Box::new(mkv::MkvDemuxer::open(input)?));
    }
    if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"AVI " {
        return Ok(Box::new(avi::open(input)?));
    }
    if head.len() >= 8 && mp4::is_box_type(&head[4..8]) {
        return Ok(Box::new(mp4::open(input)?));
    }
    Err(EngineError::Unreadable(
        "not an MP4, MOV, Matroska, WebM or AVI file".into(),
    ))
}
