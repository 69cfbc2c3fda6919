//! The input: a `Blob` read slice by slice with `FileReaderSync` — the synchronous form of
//! `blob.slice(a, b).arrayBuffer()`, available in dedicated workers. Each read asks the browser
//! for exactly the bytes wanted; the engine's `SourceReader` adds read-ahead on top.

use js_sys::Uint8Array;
use v2a_engine::{EngineError, Source};
use web_sys::{Blob, FileReaderSync};

/// A `Blob` (a `File` from disk, or a page video's bytes) as a [`Source`].
pub struct BlobSource {
    blob: Blob,
    reader: FileReaderSync,
    len: u64,
}

impl BlobSource {
    pub fn new(blob: Blob) -> Result<Self, EngineError> {
        let reader = FileReaderSync::new()
            .map_err(|e| EngineError::Read(format!("no FileReaderSync here: {e:?}")))?;
        // Blob sizes are whole numbers of bytes below 2^53, so the cast is exact.
        let len = blob.size().max(0.0) as u64;
        Ok(Self { blob, reader, len })
    }
}

impl Source for BlobSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<usize, EngineError> {
        if offset >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let end = self.len.min(offset.saturating_add(buf.len() as u64));
        let slice = self
            .blob
            .slice_with_f64_and_f64(offset as f64, end as f64)
            .map_err(|e| EngineError::Read(format!("{e:?}")))?;
        // Fails when the file changed or was removed on disk since it was picked.
        let bytes = self
            .reader
            .read_as_array_buffer(&slice)
            .map_err(|e| EngineError::Read(js_text(&e)))?;
        let array = Uint8Array::new(&bytes);
        let n = (array.length() as usize).min(buf.len());
        array.subarray(0, n as u32).copy_to(&mut buf[..n]);
        Ok(n)
    }

    /// All the ranges in one synchronous read: a `Blob` made of their slices (the browser joins
    /// them without copying), read once. Each `FileReaderSync` call costs ~0.7 ms whatever its
    /// size, and a track's packets come as hundreds of small ranges between video frames.
    fn read_ranges(&mut self, ranges: &[(u64, usize)], out: &mut [u8]) -> Result<(), EngineError> {
        let parts = js_sys::Array::new();
        for &(offset, len) in ranges {
            let end = offset.saturating_add(len as u64);
            if end > self.len {
                return Err(EngineError::Truncated(format!(
                    "{len} bytes at offset {offset}, the file has {}",
                    self.len
                )));
            }
            let slice = self
                .blob
                .slice_with_f64_and_f64(offset as f64, end as f64)
                .map_err(|e| EngineError::Read(js_text(&e)))?;
            parts.push(&slice);
        }
        let joined =
            Blob::new_with_blob_sequence(&parts).map_err(|e| EngineError::Read(js_text(&e)))?;
        let bytes = self
            .reader
            .read_as_array_buffer(&joined)
            .map_err(|e| EngineError::Read(js_text(&e)))?;
        let array = Uint8Array::new(&bytes);
        if array.length() as usize != out.len() {
            return Err(EngineError::Read(format!(
                "{} bytes came back of the {} asked for",
                array.length(),
                out.len()
            )));
        }
        array.copy_to(out);
        Ok(())
    }
}

/// The message of a thrown JS value (a DOMException's "NotFoundError: …"), else its debug form.
pub(crate) fn js_text(e: &wasm_bindgen::JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}
