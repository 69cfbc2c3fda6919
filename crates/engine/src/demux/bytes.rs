//! A bounds-checked cursor over bytes already read from the source: every read past the end is
//! an [`EngineError::Unreadable`], never a panic.

use crate::EngineError;

/// Reads numbers and slices from `data`, front to back.
pub(crate) struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

fn short(what: &str) -> EngineError {
    EngineError::Unreadable(format!("{what} is shorter than its fields"))
}

impl<'a> Cursor<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }
    pub fn pos(&self) -> usize {
        self.pos
    }
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }
    pub fn rest(&self) -> &'a [u8] {
        &self.data[self.pos..]
    }
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], EngineError> {
        if n > self.remaining() {
            return Err(short("a header"));
        }
        let out = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }
    pub fn skip(&mut self, n: usize) -> Result<(), EngineError> {
        self.take(n).map(|_| ())
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], EngineError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }
    pub fn u8(&mut self) -> Result<u8, EngineError> {
        Ok(self.array::<1>()?[0])
    }
    pub fn u16be(&mut self) -> Result<u16, EngineError> {
        self.array().map(u16::from_be_bytes)
    }
    pub fn u32be(&mut self) -> Result<u32, EngineError> {
        self.array().map(u32::from_be_bytes)
    }
    pub fn u64be(&mut self) -> Result<u64, EngineError> {
        self.array().map(u64::from_be_bytes)
    }
    #[allow(dead_code)]
    pub fn u16le(&mut self) -> Result<u16, EngineError> {
        self.array().map(u16::from_le_bytes)
    }
    #[allow(dead_code)]
    pub fn u32le(&mut self) -> Result<u32, EngineError> {
        self.array().map(u32::from_le_bytes)
    }
    pub fn fourcc(&mut self) -> Result<[u8; 4], EngineError> {
        self.array()
    }
}
