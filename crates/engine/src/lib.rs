//! The in-browser engine: takes the audio out of a video without a server.
//!
//! Pure Rust with no web dependency, so it is tested natively against real files; the browser
//! binding (`crates/engine-wasm`) only supplies a [`Source`] over a `Blob` and a [`Sink`] whose
//! chunks become `Blob` parts. Layout, after symphonia's: one module per container or codec
//! behind small traits.
//!
//! - [`source`]: random-access input (`len`, `read_at`); the demuxers read the index first and
//!   then only the audio samples' byte ranges, so a 500 MB video is never whole in memory.
//! - [`demux`]: MP4/MOV/M4V (moov first or last, fragmented), Matroska/WebM, AVI → [`Packet`]s
//!   of one [`AudioTrack`].
//! - [`mux`]: packets copied without re-encoding into .m4a, .ogg/.opus, .mp3, .flac.
//! - [`codec`]: decoders to [`Pcm`] and encoders from it (MP3, M4A, WAV, FLAC; Opus by the
//!   host's encoder, muxed here: [`plan::Host`], [`job::Step::Flush`]).
//! - [`dsp`]: sample-exact trims, resampling, channel mixing, loudness (EBU R128, true peak).
//! - [`plan`]: whether the engine can do an [`ExtractionSpec`](v2a_protocol::ExtractionSpec)
//!   for a probed input, and how (copy or re-encode), with the same meaning as the server's.
//! - [`job`]: runs a plan step by step, reporting bytes read and seconds done, cancellable
//!   between steps.
//!
//! No input can make it panic: every length and offset read from a file is checked, and a file
//! that is not what it claims to be is an [`EngineError`].

pub mod codec;
pub mod demux;
pub mod dsp;
mod error;
pub mod job;
pub mod mux;
pub mod plan;
pub mod sink;
pub mod source;
mod types;

pub use error::EngineError;
pub use sink::{Sink, VecSink};
pub use source::{Source, SourceReader};
pub use types::{AudioTrack, Codec, Container, Packet, Pcm, Probe};
