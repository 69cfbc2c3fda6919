//! Random-access input. In the browser a [`Source`] is a `Blob` read slice by slice; natively a
//! file or a byte vector. [`SourceReader`] puts `Read + Seek` over it for parsers that want
//! them, with a small read-ahead, and counts the bytes actually read (the progress a person
//! sees, and the figure that shows only the audio bytes were read).

use std::io::{self, Read, Seek, SeekFrom};

use crate::EngineError;

/// Bytes that can be read at any offset.
pub trait Source {
    /// Total length in bytes.
    fn len(&self) -> u64;
    /// Whether the source is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Reads up to `buf.len()` bytes at `offset` into `buf`; returns how many (0 only at or past
    /// the end).
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<usize, EngineError>;
    /// Reads every `(offset, len)` range whole into `out`, one after another (`out` is their
    /// total length; the caller checked the ranges lie inside the source). This default reads
    /// them one by one; a source whose every read costs a fixed price reads them in one go (a
    /// browser `Blob`: ~0.7 ms per synchronous read, 5,407 reads for a 3-minute AAC track in
    /// the bench's bench/engine-reads.mjs).
    fn read_ranges(&mut self, ranges: &[(u64, usize)], out: &mut [u8]) -> Result<(), EngineError> {
        let mut at = 0;
        for &(offset, len) in ranges {
            let mut done = 0;
            while done < len {
                let n = self.read_at(offset + done as u64, &mut out[at + done..at + len])?;
                if n == 0 {
                    return Err(EngineError::Truncated(format!(
                        "{len} bytes at offset {offset}, the file has {}",
                        self.len()
                    )));
                }
                done += n;
            }
            at += len;
        }
        Ok(())
    }
}

impl Source for Vec<u8> {
    fn len(&self) -> u64 {
        self.as_slice().len() as u64
    }
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<usize, EngineError> {
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.as_slice().len());
        let n = buf.len().min(self.as_slice().len() - start);
        buf[..n].copy_from_slice(&self[start..start + n]);
        Ok(n)
    }
}

impl Source for Box<dyn Source> {
    fn len(&self) -> u64 {
        self.as_ref().len()
    }
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<usize, EngineError> {
        self.as_mut().read_at(offset, buf)
    }
    fn read_ranges(&mut self, ranges: &[(u64, usize)], out: &mut [u8]) -> Result<(), EngineError> {
        self.as_mut().read_ranges(ranges, out)
    }
}

#[cfg(unix)]
impl Source for std::fs::File {
    fn len(&self) -> u64 {
        self.metadata().map(|m| m.len()).unwrap_or(0)
    }
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<usize, EngineError> {
        std::os::unix::fs::FileExt::read_at(self, buf, offset)
            .map_err(|e| EngineError::Read(e.to_string()))
    }
}

/// `Read + Seek` over a [`Source`], with a read-ahead window and a count of bytes read.
pub struct SourceReader<S: Source> {
    source: S,
    pos: u64,
    /// Bytes of the window, which starts at `window_at`.
    window: Vec<u8>,
    window_at: u64,
    read_ahead: usize,
    bytes_read: u64,
}

impl<S: Source> SourceReader<S> {
    /// A reader whose reads fetch at least `read_ahead` bytes at a time.
    pub fn new(source: S, read_ahead: usize) -> Self {
        Self {
            source,
            pos: 0,
            window: Vec::new(),
            window_at: 0,
            read_ahead: read_ahead.max(1),
            bytes_read: 0,
        }
    }
    /// Bytes fetched from the source so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }
    /// Length of the source.
    pub fn len(&self) -> u64 {
        self.source.len()
    }
    /// Whether the source is empty.
    pub fn is_empty(&self) -> bool {
        self.source.is_empty()
    }
    /// The current position.
    pub fn position(&self) -> u64 {
        self.pos
    }
    /// The source itself.
    pub fn source_mut(&mut self) -> &mut S {
        &mut self.source
    }
    /// Reads exactly `len` bytes at `offset`, bypassing the window (a sample's bytes, read
    /// once). An early end is [`EngineError::Truncated`].
    pub fn read_exact_at(&mut self, offset: u64, len: usize) -> Result<Vec<u8>, EngineError> {
        // A length read from a hostile file must not become a huge allocation.
        if offset.saturating_add(len as u64) > self.source.len() {
            return Err(EngineError::Truncated(format!(
                "{len} bytes at offset {offset}, the file has {}",
                self.source.len()
            )));
        }
        let mut out = vec![0; len];
        let mut done = 0;
        while done < len {
            let n = self
                .source
                .read_at(offset + done as u64, &mut out[done..])?;
            if n == 0 {
                return Err(EngineError::Truncated(format!(
                    "{len} bytes at offset {offset}, the file has {}",
                    self.source.len()
                )));
            }
            done += n;
            self.bytes_read += n as u64;
        }
        Ok(out)
    }
    /// Reads the `(offset, len)` ranges, concatenated, in as few source reads as the source
    /// can (see [`Source::read_ranges`]). A range past the end is [`EngineError::Truncated`].
    pub fn read_ranges(&mut self, ranges: &[(u64, usize)]) -> Result<Vec<u8>, EngineError> {
        let mut total = 0usize;
        for &(offset, len) in ranges {
            if offset.saturating_add(len as u64) > self.source.len() {
                return Err(EngineError::Truncated(format!(
                    "{len} bytes at offset {offset}, the file has {}",
                    self.source.len()
                )));
            }
            total = total.saturating_add(len);
        }
        let mut out = vec![0; total];
        self.source.read_ranges(ranges, &mut out)?;
        self.bytes_read += total as u64;
        Ok(out)
    }
}

impl<S: Source> SourceReader<S> {
    /// Reads up to `len` bytes at `offset`: fewer only at the end of the source. For headers,
    /// whose size is not known before they are read.
    pub fn read_up_to(&mut self, offset: u64, len: usize) -> Result<Vec<u8>, EngineError> {
        let len = len.min(self.source.len().saturating_sub(offset) as usize);
        self.read_exact_at(offset, len)
    }
}

impl<S: Source> Read for SourceReader<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let in_window =
            self.pos >= self.window_at && self.pos < self.window_at + self.window.len() as u64;
        if !in_window {
            let want = self.read_ahead.max(buf.len());
            let mut window = vec![0; want];
            let n = self
                .source
                .read_at(self.pos, &mut window)
                .map_err(|e| io::Error::other(e.to_string()))?;
            window.truncate(n);
            self.bytes_read += n as u64;
            self.window = window;
            self.window_at = self.pos;
            if n == 0 {
                return Ok(0);
            }
        }
        let start = (self.pos - self.window_at) as usize;
        let n = buf.len().min(self.window.len() - start);
        buf[..n].copy_from_slice(&self.window[start..start + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl<S: Source> Seek for SourceReader<S> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let len = self.source.len() as i128;
        let target = match to {
            SeekFrom::Start(n) => n as i128,
            SeekFrom::End(d) => len + d as i128,
            SeekFrom::Current(d) => self.pos as i128 + d as i128,
        };
        if target < 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start",
            ));
        }
        self.pos = target as u64;
        Ok(self.pos)
    }
}
