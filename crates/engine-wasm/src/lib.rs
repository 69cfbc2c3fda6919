//! The in-browser engine's binding: [`v2a_engine`] driven from a dedicated Web Worker
//! (`extension/engine-worker.js`).
//!
//! - The input is a `Blob` (the picked `File`, or the page video's bytes) read slice by slice
//!   with `FileReaderSync` ([`source::BlobSource`]): the synchronous form of
//!   `blob.slice(a, b).arrayBuffer()`, which exists only in workers and keeps the pure-Rust
//!   engine synchronous. Only the slices the demuxer asks for are read, so a 500 MB video is
//!   never whole in memory.
//! - The output is gathered as `Blob` parts ([`sink::BlobSink`]), never as one buffer in wasm
//!   memory.
//! - JavaScript drives the steps ([`EngineJob::step`]) and yields to the event loop between
//!   them, so a cancel is seen and progress is posted.
//! - An MP3, AAC or FLAC job may hand its PCM to a second instance in another worker, which
//!   encodes it on another core (`EncoderJob`); the job's instance reads and decodes meanwhile.
//! - Every failure reaches JavaScript in one shape, made in one place ([`error`]).
//!
//! Only the job runner's worker loads this module: the popup never does, so its time to ready
//! does not grow with the engine.

pub mod error;

#[cfg(target_arch = "wasm32")]
mod bindings;
#[cfg(target_arch = "wasm32")]
mod encoder;
#[cfg(target_arch = "wasm32")]
pub mod pcm;
#[cfg(target_arch = "wasm32")]
pub mod sink;
#[cfg(target_arch = "wasm32")]
pub mod source;

#[cfg(target_arch = "wasm32")]
pub use bindings::EngineJob;
#[cfg(target_arch = "wasm32")]
pub use encoder::EncoderJob;
