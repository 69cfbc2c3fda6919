//! The output, gathered as `Blob` parts: never one big buffer in wasm memory. Small writes are
//! joined in a bounded buffer, handed to JavaScript as `Uint8Array`s, and every few megabytes
//! those become a `Blob` (the browser's blob store, which pages large ones to disk). The first
//! write is kept apart, as the header [`Sink::patch_head`] may replace at the end (WAV and FLAC
//! write their sizes there last).

use js_sys::{Array, Uint8Array};
use v2a_engine::{EngineError, Sink};
use web_sys::{Blob, BlobPropertyBag};

use crate::source::js_text;

/// Bytes joined in wasm memory before they are handed to JavaScript: encoders write a frame
/// (~0.4–4 KB) at a time, and a `Uint8Array` per frame would cost more than the bytes.
const BUFFER_BYTES: usize = 256 * 1024;
/// Bytes held as `Uint8Array`s in the JS heap before they become one `Blob`.
const PENDING_BYTES: usize = 8 * 1024 * 1024;

/// A [`Sink`] whose result is a `Blob`.
pub struct BlobSink {
    head: Option<Vec<u8>>,
    buffer: Vec<u8>,
    pending: Array,
    pending_bytes: usize,
    blobs: Array,
    written: u64,
}

impl Default for BlobSink {
    fn default() -> Self {
        Self::new()
    }
}

impl BlobSink {
    pub fn new() -> Self {
        Self {
            head: None,
            buffer: Vec::new(),
            pending: Array::new(),
            pending_bytes: 0,
            blobs: Array::new(),
            written: 0,
        }
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    fn flush_buffer(&mut self) -> Result<(), EngineError> {
        if !self.buffer.is_empty() {
            self.pending.push(&Uint8Array::from(self.buffer.as_slice()));
            self.pending_bytes += self.buffer.len();
            self.buffer.clear();
        }
        if self.pending_bytes >= PENDING_BYTES {
            let blob = Blob::new_with_u8_array_sequence(&self.pending)
                .map_err(|e| EngineError::Write(js_text(&e)))?;
            self.blobs.push(&blob);
            self.pending = Array::new();
            self.pending_bytes = 0;
        }
        Ok(())
    }

    /// The whole output as one `Blob` of type `mime`.
    pub fn finish(&mut self, mime: &str) -> Result<Blob, EngineError> {
        self.flush_buffer()?;
        let parts = Array::new();
        if let Some(head) = &self.head {
            parts.push(&Uint8Array::from(head.as_slice()));
        }
        for part in self.blobs.iter().chain(self.pending.iter()) {
            parts.push(&part);
        }
        let options = BlobPropertyBag::new();
        options.set_type(mime);
        Blob::new_with_blob_sequence_and_options(&parts, &options)
            .map_err(|e| EngineError::Write(js_text(&e)))
    }
}

impl Sink for BlobSink {
    fn write(&mut self, bytes: &[u8]) -> Result<(), EngineError> {
        self.written += bytes.len() as u64;
        if self.head.is_none() {
            self.head = Some(bytes.to_vec());
            return Ok(());
        }
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= BUFFER_BYTES {
            self.flush_buffer()?;
        }
        Ok(())
    }

    fn patch_head(&mut self, bytes: &[u8]) -> Result<(), EngineError> {
        match &mut self.head {
            Some(head) if bytes.len() <= head.len() => {
                head[..bytes.len()].copy_from_slice(bytes);
                Ok(())
            }
            _ => Err(EngineError::Write(format!(
                "a header of {} bytes is longer than the first part written",
                bytes.len()
            ))),
        }
    }
}
