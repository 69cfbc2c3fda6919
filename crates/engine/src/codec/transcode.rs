//! Re-encoding one track: decoder → trim → channel mix → resample → loudness → encoder.
//!
//! The job ([`crate::job`]) feeds it packets; with loudness normalisation it takes two passes
//! over the packets (measure, then apply), like the server's two-pass loudnorm.

use v2a_protocol::ExtractionSpec;

use crate::{AudioTrack, EngineError, Packet, Sink};

/// One track being re-encoded.
pub struct Transcoder {
    _private: (),
}

impl Transcoder {
    /// A transcoder for `track` as `spec` asks, keeping `range` (seconds, clamped) of it.
    pub fn new(
        track: &AudioTrack,
        spec: &ExtractionSpec,
        range: Option<(f64, f64)>,
    ) -> Result<Self, EngineError> {
        let _ = (track, spec, range);
        Err(EngineError::Unsupported(
            "re-encoding is not built yet".into(),
        ))
    }
    /// The output's file extension and MIME type.
    pub fn output(&self) -> (&'static str, &'static str) {
        ("mp3", "audio/mpeg")
    }
    /// Whether a measuring pass over every packet must come first (loudness).
    pub fn needs_measure_pass(&self) -> bool {
        false
    }
    /// A packet of the measuring pass.
    pub fn measure(&mut self, packet: &Packet) -> Result<(), EngineError> {
        let _ = packet;
        Ok(())
    }
    /// A packet of the output pass.
    pub fn push(&mut self, packet: &Packet, sink: &mut dyn Sink) -> Result<(), EngineError> {
        let _ = (packet, sink);
        Ok(())
    }
    /// Flushes the encoder; returns the seconds of sound written.
    pub fn finish(&mut self, sink: &mut dyn Sink) -> Result<f64, EngineError> {
        let _ = sink;
        Ok(0.0)
    }
    /// Seconds of sound written so far.
    pub fn seconds_done(&self) -> f64 {
        0.0
    }
}
