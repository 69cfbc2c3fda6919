//! Cutting the byte stream into lines, whatever the chunk boundaries.
//!
//! Lines are cut on bytes, before decoding: CR and LF never occur inside a multi-byte UTF-8
//! sequence, so each complete line can be decoded on its own (see `events`), and a character
//! split across two chunks simply waits in the line buffer for its other half.

use std::mem;

/// The UTF-8 encoding of U+FEFF BYTE ORDER MARK.
const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// Capacity the line buffer may keep between lines; a larger one (after a huge line) is released.
const KEEP_CAPACITY: usize = 64 * 1024;

/// A complete line, as handed to a [`LineSink`].
pub(super) enum Line<'a> {
    /// An empty line: the end of an event block.
    Blank,
    /// A non-empty line that is not a comment, still undecoded, without its line terminator.
    Field(&'a [u8]),
}

/// The event is over the size limit: the rest of it must be skipped.
pub(super) struct TooLarge;

/// Receives the lines of a stream.
pub(super) trait LineSink {
    /// How many bytes the line being received may hold before its event is over the size limit.
    fn line_budget(&self) -> usize;
    /// A complete line. `Err` skips the rest of the event, up to the next blank line.
    fn line(&mut self, line: Line<'_>) -> Result<(), TooLarge>;
    /// The line being received went over [`LineSink::line_budget`]; it is being skipped, with the
    /// rest of its event.
    fn too_large(&mut self);
}

/// What is known of the line being received.
#[derive(Debug, Default)]
enum Current {
    /// No byte of it yet.
    #[default]
    Empty,
    /// A field line, being buffered.
    Field,
    /// A comment, or a line of an event being skipped: its bytes are not kept.
    Skipped,
}

/// The line splitter: BOM, line terminators, and the buffer of the unterminated line.
#[derive(Debug)]
pub(super) struct LineReader {
    line: Vec<u8>,
    current: Current,
    /// The last byte seen was a CR, so an LF at the start of the next chunk belongs to it.
    after_cr: bool,
    /// `Some(n)`: at the start of the stream, the first `n` bytes of a BOM have been seen.
    bom_seen: Option<usize>,
    /// An event over the size limit is being skipped, up to the next blank line.
    skipping_event: bool,
}

impl LineReader {
    /// A reader at the very start of a stream.
    pub(super) fn new() -> Self {
        Self {
            line: Vec::new(),
            current: Current::Empty,
            after_cr: false,
            bom_seen: Some(0),
            skipping_event: false,
        }
    }

    /// Splits `chunk` into lines and hands each complete one to `sink`.
    ///
    /// Spec: "The stream must then be parsed by reading everything line by line, with a U+000D
    /// CARRIAGE RETURN U+000A LINE FEED (CRLF) character pair, a single U+000A LINE FEED (LF)
    /// character not preceded by a U+000D CARRIAGE RETURN (CR) character, and a single U+000D
    /// CARRIAGE RETURN (CR) character not followed by a U+000A LINE FEED (LF) character being the
    /// ways in which a line can end."
    pub(super) fn feed(&mut self, mut chunk: &[u8], sink: &mut impl LineSink) {
        if let Some(seen) = self.bom_seen {
            chunk = self.skip_bom(seen, chunk, sink);
        }
        while let Some((&first, rest)) = chunk.split_first() {
            if mem::take(&mut self.after_cr) && first == b'\n' {
                // The LF of a CRLF pair whose CR already ended the line.
                chunk = rest;
                continue;
            }
            // Only the bytes not seen before are scanned: the buffered part of the line is never
            // looked at again, which keeps the work linear however small the chunks are.
            match memchr::memchr2(b'\n', b'\r', chunk) {
                Some(end) => {
                    let line = &chunk[..end];
                    self.after_cr = chunk[end] == b'\r';
                    if !self.whole_line(line, sink) {
                        self.append(line, sink);
                        self.end_line(sink);
                    }
                    chunk = &chunk[end + 1..];
                }
                None => {
                    self.append(chunk, sink);
                    break;
                }
            }
        }
    }

    /// Spec: "Streams must be decoded using the UTF-8 decode algorithm." That algorithm "strips
    /// one leading UTF-8 Byte Order Mark (BOM), if any" — only at the very start of the stream,
    /// even when the BOM arrives split across chunks. Returns the rest of `chunk`.
    fn skip_bom<'a>(
        &mut self,
        mut seen: usize,
        mut chunk: &'a [u8],
        sink: &mut impl LineSink,
    ) -> &'a [u8] {
        while let Some((&byte, rest)) = chunk.split_first() {
            if byte != BOM[seen] {
                // Not a BOM after all: the bytes held back are the start of the first line.
                self.bom_seen = None;
                self.append(&BOM[..seen], sink);
                return chunk;
            }
            seen += 1;
            chunk = rest;
            if seen == BOM.len() {
                self.bom_seen = None;
                return chunk;
            }
        }
        self.bom_seen = Some(seen);
        chunk
    }

    /// A line that lies whole in one chunk goes to `sink` straight from the chunk, without being
    /// copied into the line buffer first (most lines, with chunks of a few KB and more). False
    /// when the line is not such a plain field line; the caller then takes the general way.
    fn whole_line(&mut self, line: &[u8], sink: &mut impl LineSink) -> bool {
        let plain = matches!(self.current, Current::Empty)
            && !self.skipping_event
            && line.first().is_some_and(|&b| b != b':')
            && line.len() <= sink.line_budget();
        if plain && sink.line(Line::Field(line)).is_err() {
            self.skipping_event = true;
        }
        plain
    }

    /// Adds bytes (no line terminator among them) to the line being received.
    fn append(&mut self, bytes: &[u8], sink: &mut impl LineSink) {
        let Some(&first) = bytes.first() else {
            return;
        };
        if let Current::Empty = self.current {
            // Spec: "If the line starts with a U+003A COLON character (:) — Ignore the line."
            // Known from its first byte, so a comment (a heartbeat) is never buffered.
            self.current = if self.skipping_event || first == b':' {
                Current::Skipped
            } else {
                Current::Field
            };
        }
        if let Current::Field = self.current {
            if self.line.len() + bytes.len() > sink.line_budget() {
                self.release_line();
                self.current = Current::Skipped;
                self.skipping_event = true;
                sink.too_large();
            } else {
                self.line.extend_from_slice(bytes);
            }
        }
    }

    /// The line being received has ended.
    fn end_line(&mut self, sink: &mut impl LineSink) {
        let line = match mem::take(&mut self.current) {
            Current::Skipped => return,
            Current::Field => Line::Field(&self.line),
            Current::Empty => {
                // A blank line also ends an event being skipped; the next one is parsed normally.
                self.skipping_event = false;
                Line::Blank
            }
        };
        if sink.line(line).is_err() {
            self.skipping_event = true;
        }
        self.release_line();
    }

    fn release_line(&mut self) {
        self.line.clear();
        self.line.shrink_to(KEEP_CAPACITY);
    }
}
