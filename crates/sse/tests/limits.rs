//! The event size cap (error, then recovery), end of stream, and linear work on big events.

mod support;

use std::time::{Duration, Instant};

use support::{assert_all_chunkings_with, msg, parse_with};
use v2a_sse::{Parser, SseError, DEFAULT_MAX_EVENT_SIZE};

const LIMIT: usize = 100;

fn small_parser() -> Parser {
    Parser::with_max_event_size(LIMIT)
}

#[test]
fn default_limit_is_16_mib() {
    assert_eq!(DEFAULT_MAX_EVENT_SIZE, 16 * 1024 * 1024);
    assert_eq!(Parser::new().max_event_size(), DEFAULT_MAX_EVENT_SIZE);
    assert_eq!(small_parser().max_event_size(), LIMIT);
}

#[test]
fn an_overlong_line_skips_its_event_and_parsing_resumes_after_the_blank_line() {
    let long = "x".repeat(200);
    let stream = format!(
        "data: before\n\nevent: big\ndata: {long}\ndata: more of the big one\nid: 7\n\ndata: after\n\n"
    );
    let outcome = assert_all_chunkings_with(
        small_parser,
        stream.as_bytes(),
        &[msg("before"), msg("after")],
    );
    assert_eq!(
        outcome.error,
        Some(SseError::EventTooLarge { limit: LIMIT })
    );
    assert_eq!(
        outcome.last_event_id, "",
        "the id line inside the skipped event is skipped too"
    );
}

#[test]
fn data_growing_over_many_lines_hits_the_limit_too() {
    // Each line is well under the limit; together they are not.
    let line = format!("data: {}\n", "y".repeat(20));
    let stream = format!("{}\ndata: fine\n\n", line.repeat(10));
    let outcome = assert_all_chunkings_with(small_parser, stream.as_bytes(), &[msg("fine")]);
    assert_eq!(
        outcome.error,
        Some(SseError::EventTooLarge { limit: LIMIT })
    );
}

#[test]
fn the_limit_counts_the_whole_line_and_is_inclusive() {
    // A 100-byte line fits a 100-byte limit; 101 bytes do not.
    let fits = format!("data:{}\n\n", "z".repeat(95));
    let outcome = assert_all_chunkings_with(small_parser, fits.as_bytes(), &[msg(&"z".repeat(95))]);
    assert_eq!(outcome.error, None);

    let too_big = format!("data:{}\n\n", "z".repeat(96));
    let outcome = assert_all_chunkings_with(small_parser, too_big.as_bytes(), &[]);
    assert_eq!(
        outcome.error,
        Some(SseError::EventTooLarge { limit: LIMIT })
    );
}

#[test]
fn comments_are_never_buffered_so_long_heartbeats_are_fine() {
    let stream = format!(": {}\ndata: ok\n\n", "-".repeat(10 * LIMIT));
    let outcome = assert_all_chunkings_with(small_parser, stream.as_bytes(), &[msg("ok")]);
    assert_eq!(outcome.error, None);
}

#[test]
fn a_stream_that_never_ends_its_line_stays_bounded_and_reports_once() {
    let mut parser = small_parser();
    let garbage = [b'g'; 1024];
    let mut errors = 0;
    for _ in 0..1000 {
        assert!(parser.feed(&garbage).is_empty());
        errors += usize::from(parser.take_error().is_some());
    }
    assert_eq!(errors, 1, "one oversized event, one error");
    assert_eq!(parser.feed(b"\n\ndata: back\n\n"), [msg("back")]);
    assert_eq!(parser.take_error(), None);
}

#[test]
fn try_feed_reports_the_error_and_keeps_the_chunks_good_events() {
    let long = "x".repeat(200);
    let chunk = format!("data: 1\n\ndata: {long}\n\ndata: 2\n\n");
    let mut parser = small_parser();
    assert_eq!(
        parser.try_feed(chunk.as_bytes()),
        Err(SseError::EventTooLarge { limit: LIMIT })
    );
    assert_eq!(
        parser.try_feed(b"data: 3\n\n"),
        Ok(vec![msg("1"), msg("2"), msg("3")]),
        "events held back by the error come first"
    );
    assert_eq!(parser.try_feed(b"data: 4\n\n"), Ok(vec![msg("4")]));

    // Held-back events also come out of finish.
    assert!(parser.try_feed(chunk.as_bytes()).is_err());
    assert_eq!(parser.finish(), [msg("1"), msg("2")]);
}

#[test]
fn the_error_says_what_happened_and_what_to_do() {
    let text = SseError::EventTooLarge { limit: 1024 }.to_string();
    assert!(text.contains("larger than 1024 bytes"), "{text}");
    assert!(text.contains("skipped"), "{text}");
    assert!(text.contains("with_max_event_size"), "{text}");
}

#[test]
fn finish_drops_the_incomplete_event_and_keeps_id_and_retry() {
    let mut parser = Parser::new();
    let outcome = parse_with(
        &mut parser,
        [b"retry: 1500\nid: 9\ndata: 1\n\ndata: half".as_slice()],
    );
    assert_eq!(outcome.events, [support::ev("message", "1", "9")]);
    // The unterminated "data: half" line is gone: ending it now adds nothing.
    assert!(parser.feed(b"\n\n").is_empty());
    assert_eq!(parser.retry(), Some(1500));
    assert_eq!(
        parser.feed(b"data: 2\n\n"),
        [support::ev("message", "2", "9")]
    );
}

fn median_time(runs: usize, mut parse: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            parse();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// A 10 MB data line in 4 KB chunks must cost about what it costs in one chunk: the buffered part
/// of the line must not be scanned again for each chunk (that would be quadratic: ~13 GB of
/// scanning here instead of 10 MB).
#[test]
fn a_big_event_in_small_chunks_costs_the_same_as_in_one_chunk() {
    const SIZE: usize = 10 * 1024 * 1024;
    let mut stream = Vec::with_capacity(SIZE + 16);
    stream.extend_from_slice(b"data: ");
    stream.resize(SIZE, b'a');
    stream.extend_from_slice(b"\n\n");

    let run = |chunk_size: usize| {
        let mut parser = Parser::new();
        let mut events = Vec::new();
        for chunk in stream.chunks(chunk_size) {
            events.extend(parser.feed(chunk));
        }
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].data.len(), SIZE - 6);
    };
    let whole = median_time(3, || run(stream.len()));
    let chunked = median_time(3, || run(4096));
    // 3x leaves room for a loaded 2-core machine; a floor keeps timer noise out when fast.
    let allowed = whole.max(Duration::from_millis(20)) * 3;
    assert!(
        chunked <= allowed,
        "4 KB chunks took {chunked:?}, one chunk {whole:?} (allowed {allowed:?})"
    );
}
