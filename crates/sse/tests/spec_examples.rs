//! The examples of WHATWG HTML § 9.2.6 "Interpreting an event stream" (and § 9.2.5, its
//! grammar), each checked fed in one chunk, byte by byte and split at every point.

mod support;

use support::{assert_all_chunkings, ev, msg};

/// "The following event stream, once followed by a blank line: [...] would cause an event
/// message with the interface MessageEvent to be dispatched on the EventSource object. The
/// event's data attribute would contain the string "YHOO\n+2\n10"".
#[test]
fn stock_ticker_lines_join_with_line_feeds() {
    let stream = b"data: YHOO\ndata: +2\ndata: 10\n\n";
    assert_all_chunkings(stream, &[msg("YHOO\n+2\n10")]);
}

/// "The following stream contains four blocks. The first block has just a comment, and will fire
/// nothing. The second block [...] an event will be fired for this block, with the data "first
/// event", and will then set the last event ID to "1" [...]. The third block fires an event with
/// data "second event", and also has an "id" field, this time with no value, which resets the
/// last event ID to the empty string [...]. Finally, the last block just fires an event with the
/// data " third event" (with a single leading space character)."
#[test]
fn first_second_third_event_with_ids() {
    let stream = b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n";
    let outcome = assert_all_chunkings(
        stream,
        &[
            ev("message", "first event", "1"),
            ev("message", "second event", ""),
            ev("message", " third event", ""),
        ],
    );
    assert_eq!(
        outcome.last_event_id, "",
        "the bare `id` line reset the last event ID"
    );
}

/// "Note that the last still has to end with a blank line, the end of the stream is not enough to
/// trigger the dispatch of the last event."
#[test]
fn end_of_stream_does_not_dispatch_the_last_block() {
    let stream = b": test stream\n\ndata: first event\nid: 1\n\ndata:  third event\n";
    assert_all_chunkings(stream, &[ev("message", "first event", "1")]);
}

/// "The following stream fires two events: `data` / `` / `data` / `data` / `` / `data:` [...]
/// The first block fires events with the data set to the empty string, as would the last block if
/// it was followed by a blank line. The middle block fires an event with the data set to a single
/// newline character. The last block is discarded because it is not followed by a blank line."
#[test]
fn data_without_colon_gives_empty_data_and_the_unfinished_block_is_discarded() {
    let stream = b"data\n\ndata\ndata\n\ndata:";
    assert_all_chunkings(stream, &[msg(""), msg("\n")]);
}

/// "The following stream fires two identical events: [...] This is because the space after the
/// colon is ignored if present."
#[test]
fn one_space_after_the_colon_is_ignored() {
    let stream = b"data:test\n\ndata: test\n\n";
    assert_all_chunkings(stream, &[msg("test"), msg("test")]);
}

/// The event type buffer names the event; it is reset after each dispatch, so the next block is a
/// `message` again (spec dispatch steps 6 and 7).
#[test]
fn event_type_applies_to_its_block_only() {
    let stream = b"event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\ndata: 113411\n\n";
    assert_all_chunkings(
        stream,
        &[
            ev("add", "73857293", ""),
            ev("remove", "2153", ""),
            msg("113411"),
        ],
    );
}

/// Dispatch step 2: "If the data buffer is an empty string, set the data buffer and the event type
/// buffer to the empty string and return." A type without data fires nothing, and does not leak
/// into the next block.
#[test]
fn a_block_without_data_fires_nothing_but_resets_the_type() {
    let stream = b"event: lonely\n\ndata: x\n\n";
    assert_all_chunkings(stream, &[msg("x")]);
}

/// All three line endings, mixed, in one stream (the grammar's `end-of-line = ( cr lf / cr / lf )`).
#[test]
fn crlf_cr_and_lf_all_end_lines() {
    let stream = b"data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r";
    assert_all_chunkings(stream, &[msg("a\nb\nc"), msg("d")]);
}
