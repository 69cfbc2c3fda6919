//! Containers in: each demuxer reads the index, then hands out one audio track's packets in
//! decode order, reading only their byte ranges.

use crate::{EngineError, Packet, Probe, Source};

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
    /// Goes to the last packet that starts at or before `seconds` on the selected track, so a
    /// trim reads only what it keeps. Returns that packet's start in seconds.
    fn seek(&mut self, seconds: f64) -> Result<f64, EngineError>;
    /// Bytes read from the source so far.
    fn bytes_read(&self) -> u64;
}

/// Opens `source`, sniffing the container from its first bytes.
pub fn open<S: Source + 'static>(source: S) -> Result<Box<dyn Demuxer>, EngineError> {
    let _ = source;
    Err(EngineError::Unreadable("no demuxer yet".into()))
}
