//! Interpreting complete lines: fields, buffers and dispatch.

use std::borrow::Cow;
use std::mem;

use super::lines::{Line, LineSink, TooLarge};
use super::{Event, SseError};

/// Capacity the data buffer may keep after an event is dropped.
const KEEP_CAPACITY: usize = 64 * 1024;

/// The buffers of one stream (spec: "a data buffer, an event type buffer, and a last event ID
/// buffer"), plus what the parser hands out: finished events and the first unreported error.
#[derive(Debug)]
pub(super) struct EventBuilder {
    limit: usize,
    data: String,
    event_type: String,
    last_event_id_buffer: String,
    /// The "last event ID string" of the event source: the buffer as of the last blank line.
    last_event_id: String,
    retry: Option<u64>,
    ready: Vec<Event>,
    error: Option<SseError>,
}

impl EventBuilder {
    pub(super) fn new(limit: usize) -> Self {
        Self {
            limit,
            data: String::new(),
            event_type: String::new(),
            last_event_id_buffer: String::new(),
            last_event_id: String::new(),
            retry: None,
            ready: Vec::new(),
            error: None,
        }
    }

    pub(super) fn limit(&self) -> usize {
        self.limit
    }

    pub(super) fn retry(&self) -> Option<u64> {
        self.retry
    }

    pub(super) fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    pub(super) fn take_ready(&mut self) -> Vec<Event> {
        mem::take(&mut self.ready)
    }

    pub(super) fn take_error(&mut self) -> Option<SseError> {
        self.error.take()
    }

    /// Spec: "Once the end of the file is reached, any pending data must be discarded."
    ///
    /// The last event ID buffer restarts from the last event ID string, as browsers do when they
    /// reconnect (web-platform-tests `format-field-id`: the ID survives the reconnection).
    pub(super) fn end_of_stream(&mut self) {
        self.drop_event();
        self.last_event_id_buffer.clone_from(&self.last_event_id);
    }

    fn drop_event(&mut self) {
        self.data.clear();
        self.data.shrink_to(KEEP_CAPACITY);
        self.event_type.clear();
    }

    /// Spec: "If the line contains a U+003A COLON character (:) — Collect the characters on the
    /// line before the first U+003A COLON character (:), and let field be that string. Collect
    /// the characters on the line after the first U+003A COLON character (:), and let value be
    /// that string. If value starts with a U+0020 SPACE character, remove it from value. [...]
    /// Otherwise, the string is not empty but does not contain a U+003A COLON character (:) —
    /// Process the field [...] using the whole line as the field name, and the empty string as
    /// the field value."
    fn field_line(&mut self, line: &[u8]) -> Result<(), TooLarge> {
        // Decoding a whole line at a time is exact: a line never splits a UTF-8 sequence, and a
        // truncated or invalid sequence becomes U+FFFD, as the UTF-8 decode algorithm does.
        // Valid UTF-8 is checked first by `from_utf8`, many times faster than the lossy decoder's
        // chunk iterator, which was 28% of the parse time (bench/RESULTS.md, section 5).
        let line: Cow<'_, str> = match std::str::from_utf8(line) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(line),
        };
        let (name, value) = match line.split_once(':') {
            Some((name, value)) => (name, value.strip_prefix(' ').unwrap_or(value)),
            None => (&*line, ""),
        };
        self.field(name, value)
    }

    /// Spec: "The steps to process the field given a field name and a field value depend on the
    /// field name [...]. Field names must be compared literally, with no case folding performed."
    fn field(&mut self, name: &str, value: &str) -> Result<(), TooLarge> {
        match name {
            // "If the field name is "event" — Set the event type buffer to the field value."
            "event" => value.clone_into(&mut self.event_type),
            // "If the field name is "data" — Append the field value to the data buffer, then
            // append a single U+000A LINE FEED (LF) character to the data buffer."
            "data" => {
                if self.data.len() + value.len() + 1 > self.limit {
                    return Err(TooLarge);
                }
                // One allocation for the usual one-line event, not one for the value and a
                // second when the LF does not fit.
                self.data.reserve(value.len() + 1);
                self.data.push_str(value);
                self.data.push('\n');
            }
            // "If the field name is "id" — If the field value does not contain U+0000 NULL, then
            // set the last event ID buffer to the field value. Otherwise, ignore the field."
            "id" if !value.contains('\0') => value.clone_into(&mut self.last_event_id_buffer),
            // "If the field name is "retry" — If the field value consists of only ASCII digits,
            // then interpret the field value as an integer in base ten, and set the event
            // stream's reconnection time to that integer. Otherwise, ignore the field."
            // An empty value is ignored (as browsers do), and so is one too big for a u64.
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(ms) = value.parse() {
                    self.retry = Some(ms);
                }
            }
            // "Otherwise — The field is ignored." (So are an `id` with NULL and a bogus `retry`.)
            _ => {}
        }
        Ok(())
    }

    /// Spec: "If the line is empty (a blank line) — Dispatch the event".
    fn dispatch(&mut self) {
        // "1. Set the last event ID string of the event source to the value of the last event ID
        // buffer. The buffer does not get reset [...]"
        self.last_event_id.clone_from(&self.last_event_id_buffer);
        // "2. If the data buffer is an empty string, set the data buffer and the event type
        // buffer to the empty string and return."
        if self.data.is_empty() {
            self.event_type.clear();
            return;
        }
        // "3. If the data buffer's last character is a U+000A LINE FEED (LF) character, then
        // remove the last character from the data buffer."
        if self.data.ends_with('\n') {
            self.data.pop();
        }
        // "5. Initialize event's type attribute to "message", its data attribute to data, [...]
        // and its lastEventId attribute to the last event ID string of the event source.
        // 6. If the event type buffer has a value other than the empty string, change the type of
        // the newly created event to equal the value of the event type buffer.
        // 7. Set the data buffer and the event type buffer to the empty string."
        let event = if self.event_type.is_empty() {
            "message".to_owned()
        } else {
            mem::take(&mut self.event_type)
        };
        self.ready.push(Event {
            event,
            data: mem::take(&mut self.data),
            id: self.last_event_id.clone(),
        });
    }

    /// The current event is over the limit: drop it and note the error (the first one stays until
    /// it is taken).
    fn reject_event(&mut self) {
        self.drop_event();
        self.error
            .get_or_insert(SseError::EventTooLarge { limit: self.limit });
    }
}

impl LineSink for EventBuilder {
    fn line_budget(&self) -> usize {
        self.limit.saturating_sub(self.data.len())
    }

    fn line(&mut self, line: Line<'_>) -> Result<(), TooLarge> {
        let outcome = match line {
            Line::Blank => {
                self.dispatch();
                Ok(())
            }
            Line::Field(bytes) => self.field_line(bytes),
        };
        if outcome.is_err() {
            self.reject_event();
        }
        outcome
    }

    fn too_large(&mut self) {
        self.reject_event();
    }
}
