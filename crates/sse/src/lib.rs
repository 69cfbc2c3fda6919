//! A parser for `text/event-stream` (server-sent events), following WHATWG HTML
//! § 9.2.6 "Interpreting an event stream".
//!
//! The parser works on bytes, in whatever pieces they arrive: a chunk may end in the middle of a
//! line, of a CRLF pair, of the byte order mark or of a multi-byte UTF-8 character, and the result
//! is the same as if the whole stream had been fed at once. It has no dependency on any web API,
//! so the same code runs natively (the tests) and in the browser (wasm32).
//!
//! ```
//! use v2a_sse::{Event, Parser};
//!
//! let mut parser = Parser::new();
//! let mut events = parser.feed(b"event: progress\r\ndata: {\"progress\"");
//! assert!(events.is_empty()); // the event is not complete yet
//! events.extend(parser.feed(b": 0.5}\r\n\r\n: keep-alive\n\n"));
//! assert_eq!(
//!     events,
//!     vec![Event { event: "progress".into(), data: "{\"progress\": 0.5}".into(), id: String::new() }]
//! );
//! ```
//!
//! Work is linear in the input: every byte is looked at once, however the stream is chunked.
//!
//! One event is limited in size ([`DEFAULT_MAX_EVENT_SIZE`], see
//! [`Parser::with_max_event_size`]) so that a server that never sends a line break cannot make the
//! client buffer without bound. An event over the limit is skipped up to the next blank line,
//! parsing goes on after it, and the problem is reported as [`SseError::EventTooLarge`].

mod events;
mod lines;
mod mime;

use events::EventBuilder;
use lines::LineReader;
pub use mime::is_event_stream_content_type;

/// The default cap on one event's buffered size: 16 MiB.
pub const DEFAULT_MAX_EVENT_SIZE: usize = 16 * 1024 * 1024;

/// One dispatched event (the fields of the `MessageEvent` a browser would fire).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    /// The event type: the last `event` field of the block, or `"message"` when there was none
    /// (or it was empty).
    pub event: String,
    /// The `data` lines of the block, joined with `'\n'`.
    pub data: String,
    /// The last event ID at dispatch time. It persists from one event to the next until an `id`
    /// field changes it (an empty `id` field resets it to `""`).
    pub id: String,
}

/// What can go wrong while parsing a stream. Parsing always goes on after an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SseError {
    /// One event (its data plus the line being received) grew beyond the parser's limit. The event
    /// was skipped up to the next blank line; the events after it are parsed normally.
    #[error(
        "The server sent an event larger than {limit} bytes, so it was skipped. \
         The rest of the stream is still read; if events this large are expected, \
         raise the limit (Parser::with_max_event_size)."
    )]
    EventTooLarge {
        /// The limit in bytes that was exceeded.
        limit: usize,
    },
}

/// An incremental event-stream parser. Feed it the bytes of one response body as they arrive.
///
/// State that outlives one event (the last event ID, the reconnection time) is kept for the whole
/// life of the parser, also across [`Parser::finish`], as a browser's `EventSource` keeps it across
/// reconnections.
#[derive(Debug)]
pub struct Parser {
    lines: LineReader,
    events: EventBuilder,
}

impl Default for Parser {
    fn default() -> Self {
        Self::new()
    }
}

impl Parser {
    /// A parser with the default event size limit ([`DEFAULT_MAX_EVENT_SIZE`]).
    pub fn new() -> Self {
        Self::with_max_event_size(DEFAULT_MAX_EVENT_SIZE)
    }

    /// A parser that refuses events larger than `bytes`: the UTF-8 bytes of the event's data
    /// buffer plus those of the line being received (a line that never ends counts too).
    pub fn with_max_event_size(bytes: usize) -> Self {
        Self {
            lines: LineReader::new(),
            events: EventBuilder::new(bytes),
        }
    }

    /// The event size limit in bytes.
    pub fn max_event_size(&self) -> usize {
        self.events.limit()
    }

    /// Parses the next piece of the stream and returns the events it completed, in order.
    ///
    /// An event over the size limit is skipped and the error is kept for [`Parser::take_error`];
    /// the events before and after it are returned as usual.
    #[must_use = "the events completed by this chunk are returned only once"]
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<Event> {
        self.lines.feed(chunk, &mut self.events);
        self.events.take_ready()
    }

    /// Like [`Parser::feed`], but reports an event over the size limit as an error.
    ///
    /// The whole chunk is parsed either way. On `Err`, the events that the chunk completed (before
    /// or after the skipped one) are not lost: they are returned, first, by the next call to
    /// `feed`, `try_feed` (`try_feed(&[])` to get them at once) or `finish`. An error recorded
    /// by an earlier `feed` and not yet taken is returned here too.
    ///
    /// # Errors
    ///
    /// [`SseError::EventTooLarge`] when an event went over the size limit (it was skipped).
    pub fn try_feed(&mut self, chunk: &[u8]) -> Result<Vec<Event>, SseError> {
        self.lines.feed(chunk, &mut self.events);
        match self.events.take_error() {
            Some(error) => Err(error),
            None => Ok(self.events.take_ready()),
        }
    }

    /// The first error recorded by [`Parser::feed`] since the last call, if any.
    pub fn take_error(&mut self) -> Option<SseError> {
        self.events.take_error()
    }

    /// Ends the stream. Returns the events that were complete but not yet handed out (only ever
    /// non-empty after a [`Parser::try_feed`] error), and gets ready for a new stream.
    ///
    /// Spec: "Once the end of the file is reached, any pending data must be discarded. (If the
    /// file ends in the middle of an event, before the final empty line, the incomplete event is
    /// not dispatched.)" An unterminated last line is dropped as well. The last event ID and the
    /// reconnection time are kept, so a following stream (a reconnection) continues from them.
    pub fn finish(&mut self) -> Vec<Event> {
        self.lines = LineReader::new();
        self.events.end_of_stream();
        self.events.take_ready()
    }

    /// The reconnection time in milliseconds from the last valid `retry` field, if any.
    pub fn retry(&self) -> Option<u64> {
        self.events.retry()
    }

    /// The last event ID as of the last blank line: the value to send as `Last-Event-ID` when
    /// reconnecting (empty: send no header).
    pub fn last_event_id(&self) -> &str {
        self.events.last_event_id()
    }
}
