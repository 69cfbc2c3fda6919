//! The input: a `Blob` read slice by slice with `FileReaderSync` — the synchronous form of
//! `blob.slice(a, b).arrayBuffer()`, available in dedicated workers. Each read asks the browser
//! for exactly the bytes wanted; the engine's `SourceReader` adds read-ahead on top.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Uint8Array;
use v2a_engine::{EngineError, Source};
use web_sys::{Blob, FileReaderSync};

/// Windows of the file the worker fetched ahead, asynchronously and several at once
/// (`EngineJob.nextWindow` / `provide`), copied into this module's memory so that the worker
/// can free their buffers at once (engine-worker.js `dispose`): `read_ranges` takes its ranges
/// from them before reading anything itself. In a worker on the 252 MB bench clip, 8 MB windows
/// read three at a time with `blob.slice().arrayBuffer()` took 0.44–0.78 s, one by one with
/// `FileReaderSync` 1.74–3.2 s (load ~9), and they arrive while the engine decodes and encodes.
/// They are now `v2a_engine::demux::WINDOW_BYTES` (4 MB), two ahead: their size is memory.
#[derive(Default)]
pub struct Ahead {
    /// `(offset, bytes)`, in the order they arrived.
    pub windows: Vec<(u64, Vec<u8>)>,
}

/// A `Blob` (a `File` from disk, or a page video's bytes) as a [`Source`].
pub struct BlobSource {
    blob: Blob,
    reader: FileReaderSync,
    len: u64,
    ahead: Rc<RefCell<Ahead>>,
}

impl BlobSource {
    pub fn new(blob: Blob, ahead: Rc<RefCell<Ahead>>) -> Result<Self, EngineError> {
        let reader = FileReaderSync::new()
            .map_err(|e| EngineError::Read(format!("no FileReaderSync here: {e:?}")))?;
        // Blob sizes are whole numbers of bytes below 2^53, so the cast is exact.
        let len = blob.size().max(0.0) as u64;
        Ok(Self {
            blob,
            reader,
            len,
            ahead,
        })
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

    /// The ranges in as few plain reads as pays: neighbours closer than [`GAP_BYTES`] are read
    /// as one slice with the bytes between them (a video frame or two), each read at most
    /// [`SPAN_BYTES`] long, and the wanted bytes copied out. `bench/read-strategies.mjs` on a
    /// 252 MB 1080p MP4 (8,439 AAC ranges, 3.6 MB) from a picked file in Chromium: one Blob
    /// joined of the ranges' slices per 256 kB took 5.5–8.5 s (each slice costs about what a
    /// read does), plain reads of ≤ 8 MB over the runs 0.8 s though they read the whole file.
    fn read_ranges(&mut self, ranges: &[(u64, usize)], out: &mut [u8]) -> Result<(), EngineError> {
        // First what the windows fetched ahead hold; the rest is read here.
        let mut left = Vec::new();
        let mut at = 0;
        {
            let mut ahead = self.ahead.borrow_mut();
            for &(offset, len) in ranges {
                let dest = out.get_mut(at..at + len).ok_or_else(|| {
                    EngineError::Read("more bytes asked for than room given".into())
                })?;
                let end = end_of((offset, len));
                match ahead
                    .windows
                    .iter()
                    .find(|(o, w)| *o <= offset && end <= o + w.len() as u64)
                {
                    Some((o, w)) => {
                        let from = (offset - o) as usize;
                        dest.copy_from_slice(&w[from..from + len]);
                    }
                    None => left.push((offset, len, at)),
                }
                at += len;
            }
            // Windows ending within this batch are done with (reads go forward in a pass).
            let last = ranges.iter().map(|&r| end_of(r)).max().unwrap_or(0);
            ahead.windows.retain(|(o, w)| o + w.len() as u64 > last);
        }
        let ranges = &left[..];
        let mut i = 0;
        while i < ranges.len() {
            let (lo, mut hi) = (ranges[i].0, end_of((ranges[i].0, ranges[i].1)));
            let mut j = i + 1;
            while let Some(&r) = ranges.get(j) {
                let (o, e) = (r.0, end_of((r.0, r.1)));
                if o < hi || o - hi > GAP_BYTES || e - lo > SPAN_BYTES {
                    break;
                }
                hi = e;
                j += 1;
            }
            if hi > self.len {
                return Err(EngineError::Truncated(format!(
                    "{} bytes at offset {lo}, the file has {}",
                    hi - lo,
                    self.len
                )));
            }
            let array = self.read_slice(lo, hi)?;
            for &(offset, len, at) in &ranges[i..j] {
                let from = (offset - lo) as u32;
                let dest = out.get_mut(at..at + len).ok_or_else(|| {
                    EngineError::Read("more bytes asked for than room given".into())
                })?;
                array.subarray(from, from + len as u32).copy_to(dest);
            }
            i = j;
        }
        Ok(())
    }
}

/// Neighbouring ranges further apart than this are read apart: a read costs ~0.7 ms, about what
/// reading 256 kB more costs (plain reads ran at ~400 MB/s in bench/read-strategies.mjs).
const GAP_BYTES: u64 = 256 << 10;
/// The longest plain read: each is an `ArrayBuffer` the worker's garbage collector frees later.
/// Collected every 8 reads, a 3-minute clip's loudness job (three passes over 252 MB) grew the
/// browser by 26 MB; left to the collector, by ~100 MB, as the joined-slices reads did before
/// (bench/engine-speed.mjs with and without GC=1). Freeing each at once with
/// `ArrayBuffer.transfer(0)` made it worse (~250–500 MB), so it is not done. As one read each,
/// 4 MB took 1.5 s, 8 MB 0.8 s, 16 MB 0.7 s for the 252 MB file's audio
/// (bench/read-strategies.mjs).
const SPAN_BYTES: u64 = 8 << 20;

fn end_of((offset, len): (u64, usize)) -> u64 {
    offset.saturating_add(len as u64)
}

impl BlobSource {
    /// Bytes `lo..hi` in one synchronous read, checked to be all there.
    fn read_slice(&mut self, lo: u64, hi: u64) -> Result<Uint8Array, EngineError> {
        let slice = self
            .blob
            .slice_with_f64_and_f64(lo as f64, hi as f64)
            .map_err(|e| EngineError::Read(js_text(&e)))?;
        // Fails when the file changed or was removed on disk since it was picked.
        let bytes = self
            .reader
            .read_as_array_buffer(&slice)
            .map_err(|e| EngineError::Read(js_text(&e)))?;
        let array = Uint8Array::new(&bytes);
        if u64::from(array.length()) != hi - lo {
            return Err(EngineError::Read(format!(
                "{} bytes came back of the {} asked for",
                array.length(),
                hi - lo
            )));
        }
        Ok(array)
    }
}

/// The message of a thrown JS value (a DOMException's "NotFoundError: …"), else its debug form.
pub(crate) fn js_text(e: &wasm_bindgen::JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}
