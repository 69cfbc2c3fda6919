//! Where output goes: chunks appended in order. In the browser each chunk becomes a `Blob` part,
//! so the result is never one big buffer in wasm memory.

use crate::EngineError;

/// Output, written in order.
pub trait Sink {
    /// Appends `bytes`.
    fn write(&mut self, bytes: &[u8]) -> Result<(), EngineError>;
    /// Replaces the first `bytes.len()` bytes written (a header whose sizes are known only at
    /// the end: WAV, FLAC's STREAMINFO). Writers that need it write that header as one first
    /// `write` call of the same length, so a sink of `Blob` parts replaces its first part.
    fn patch_head(&mut self, bytes: &[u8]) -> Result<(), EngineError>;
}

/// A sink into memory, for tests and small outputs.
#[derive(Debug, Default, Clone)]
pub struct VecSink(pub Vec<u8>);

impl Sink for VecSink {
    fn write(&mut self, bytes: &[u8]) -> Result<(), EngineError> {
        self.0.extend_from_slice(bytes);
        Ok(())
    }
    fn patch_head(&mut self, bytes: &[u8]) -> Result<(), EngineError> {
        if bytes.len() > self.0.len() {
            return Err(EngineError::Write("header longer than the output".into()));
        }
        self.0[..bytes.len()].copy_from_slice(bytes);
        Ok(())
    }
}
