//! Shared helpers of the `sse_*` integration tests: feeding one input in every kind of chunking.
#![allow(dead_code)] // each test crate uses a different subset

use v2a_sse::{Event, Parser, SseError};

/// Everything a parse produces that callers can observe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub events: Vec<Event>,
    pub retry: Option<u64>,
    pub last_event_id: String,
    /// The first error reported while feeding, if any.
    pub error: Option<SseError>,
}

/// An expected event.
pub fn ev(event: &str, data: &str, id: &str) -> Event {
    Event {
        event: event.to_owned(),
        data: data.to_owned(),
        id: id.to_owned(),
    }
}

/// A `message` event without ID.
pub fn msg(data: &str) -> Event {
    ev("message", data, "")
}

/// Feeds `chunks` in order to `parser`, then ends the stream.
pub fn parse_with<'a>(parser: &mut Parser, chunks: impl IntoIterator<Item = &'a [u8]>) -> Outcome {
    let mut events = Vec::new();
    let mut error = None;
    for chunk in chunks {
        events.extend(parser.feed(chunk));
        if let Some(e) = parser.take_error() {
            error.get_or_insert(e);
        }
    }
    events.extend(parser.finish());
    Outcome {
        events,
        retry: parser.retry(),
        last_event_id: parser.last_event_id().to_owned(),
        error,
    }
}

/// Parses `input` fed in one piece.
pub fn parse_whole(input: &[u8]) -> Outcome {
    parse_with(&mut Parser::new(), [input])
}

/// Parses `input` fed in one chunk, in 1-byte chunks and split in two at every point, asserts all
/// of them give the same outcome, and that its events are `expected`. Returns the outcome.
pub fn assert_all_chunkings(input: &[u8], expected: &[Event]) -> Outcome {
    assert_all_chunkings_with(Parser::new, input, expected)
}

/// [`assert_all_chunkings`] with parsers made by `make`.
pub fn assert_all_chunkings_with(
    make: impl Fn() -> Parser,
    input: &[u8],
    expected: &[Event],
) -> Outcome {
    let whole = parse_with(&mut make(), [input]);
    assert_eq!(
        whole.events,
        expected,
        "fed in one chunk: {:?}",
        show(input)
    );

    let bytewise = parse_with(&mut make(), input.chunks(1));
    assert_eq!(bytewise, whole, "fed 1 byte at a time: {:?}", show(input));

    for split in 0..=input.len() {
        let (head, tail) = input.split_at(split);
        let halves = parse_with(&mut make(), [head, tail]);
        assert_eq!(halves, whole, "split at byte {split}: {:?}", show(input));
    }
    whole
}

/// For short inputs: also every way of cutting the input in three.
pub fn assert_every_two_splits(input: &[u8], expected: &[Event]) {
    let whole = assert_all_chunkings(input, expected);
    for first in 0..=input.len() {
        for second in first..=input.len() {
            let pieces = [&input[..first], &input[first..second], &input[second..]];
            let outcome = parse_with(&mut Parser::new(), pieces);
            assert_eq!(
                outcome,
                whole,
                "cut at {first} and {second}: {:?}",
                show(input)
            );
        }
    }
}

/// The input, readable in assertion messages.
pub fn show(input: &[u8]) -> String {
    let shown = String::from_utf8_lossy(&input[..input.len().min(200)]).into_owned();
    if input.len() > 200 {
        format!("{shown}… ({} bytes)", input.len())
    } else {
        shown
    }
}
