//! Whether the engine can do a spec for a probed input, and how: the same decisions as the
//! server's `media/plan.rs` (which format a spec with no format gets, when a stream is copied),
//! taken from the same tables in `v2a-protocol`, so a job means the same on either side.

use v2a_protocol::ExtractionSpec;

use crate::{AudioTrack, Probe};

/// How a job will be done on this computer.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The chosen audio track.
    pub track: AudioTrack,
    /// The output's file extension ("m4a", "mp3", "opus", "ogg", "flac", "wav").
    pub extension: &'static str,
    /// The output's MIME type.
    pub mime: &'static str,
    /// Packets copied as they are (no decoding).
    pub copy: bool,
    /// Seconds of the input to keep (start, end), already clamped to its duration.
    pub range: Option<(f64, f64)>,
}

/// Why a job needs the server, as a sentence key of `v2a_protocol::text` with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsServer {
    pub key: v2a_protocol::text::Key,
    pub args: Vec<(&'static str, String)>,
}

/// The plan for `spec` on `probe`, or why the server must do it.
pub fn plan(spec: &ExtractionSpec, probe: &Probe) -> Result<Plan, NeedsServer> {
    let _ = (spec, probe);
    Err(NeedsServer {
        key: v2a_protocol::text::Key::Restarted,
        args: Vec::new(),
    })
}
