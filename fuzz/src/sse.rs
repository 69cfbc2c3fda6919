//! The SSE parser against the reference, fed whole and in pieces.

use v2a_sse::{Event, Parser};

use crate::reference_sse;

/// Feed `stream` in pieces whose sizes come from `sizes` (cycled; 0 counts as 1), then finish.
fn parse(stream: &[u8], sizes: &[u8]) -> (Vec<Event>, Parser) {
    let mut parser = Parser::new();
    let mut events = Vec::new();
    let mut at = 0;
    let mut size = sizes.iter().cycle();
    while at < stream.len() {
        let n = usize::from(*size.next().unwrap_or(&255)).max(1);
        let end = (at + n).min(stream.len());
        events.extend(parser.feed(&stream[at..end]));
        at = end;
    }
    events.extend(parser.finish());
    assert!(
        parser.take_error().is_none(),
        "a small stream hit the size limit"
    );
    (events, parser)
}

/// The first byte picks piece sizes for a second, chunked parse; the rest is the stream.
pub fn sse(data: &[u8]) {
    let Some((&seed, stream)) = data.split_first() else {
        return;
    };
    let expected = reference_sse::interpret(stream);
    let sizes: Vec<u8> = [seed % 7 + 1, seed / 7 % 5 + 1, seed / 35 + 1].to_vec();
    for sizes in [&[255u8][..], &[1], &sizes] {
        let (events, parser) = parse(stream, sizes);
        let got: Vec<(String, String, String)> = events
            .into_iter()
            .map(|e| (e.event, e.data, e.id))
            .collect();
        assert_eq!(got, expected.events, "events differ (pieces {sizes:?})");
        assert_eq!(parser.last_event_id(), expected.last_event_id);
        if !expected.retry_overflowed {
            assert_eq!(parser.retry(), expected.retry);
        }
    }
}
