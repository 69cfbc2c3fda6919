//! The web-platform-tests `eventsource/format-*` cases, as byte streams.
//!
//! The WPT server script `resources/message.py` answers `message + newline + "\n"`, where
//! `newline` is `"\n\n"` unless the test asks for `newline=none`; [`served`] rebuilds that body.
//! Each case is checked fed in one chunk, byte by byte and split at every point. Reconnections
//! (the `last-event-id` scripts) are modelled with `Parser::finish` followed by a new stream.

mod support;

use support::{assert_all_chunkings, ev, msg, parse_with};
use v2a_sse::{is_event_stream_content_type, Parser};

/// The body `message.py` serves for `message`.
fn served(message: &[u8]) -> Vec<u8> {
    [message, b"\n\n\n"].concat()
}

/// The body `message.py` serves for `message` with `newline=none`.
fn served_without_newline(message: &[u8]) -> Vec<u8> {
    [message, b"\n"].concat()
}

/// format-bom: only the BOM at the very start of the stream is skipped; a second one, starting
/// the second block, makes its field name "\u{FEFF}data", which is unknown.
#[test]
fn format_bom() {
    let body = served(b"\xEF\xBB\xBFdata:1\n\n\xEF\xBB\xBFdata:2\n\ndata:3");
    assert_all_chunkings(&body, &[msg("1"), msg("3")]);
}

/// format-bom-2: of two BOMs at the start, only the first is skipped.
#[test]
fn format_bom_2() {
    let body = served(b"\xEF\xBB\xBF\xEF\xBB\xBFdata:1\n\ndata:2\n\ndata:3");
    assert_all_chunkings(&body, &[msg("2"), msg("3")]);
}

/// format-comments: comments, with every line ending and long ones, between data lines.
#[test]
fn format_comments() {
    let long = "x".repeat(2 * 1024);
    let message =
        format!("data:1\r:\0\n:\r\ndata:2\n:{long}\rdata:3\n:data:fail\r:{long}\ndata:4\n");
    let body = served_without_newline(message.as_bytes());
    assert_all_chunkings(&body, &[msg("1\n2\n3\n4")]);
}

/// format-data-before-final-empty-line: the block after the last blank line is not dispatched,
/// and its `id` does not become the last event ID (after reconnecting, events carry "").
#[test]
fn format_data_before_final_empty_line() {
    let body = served_without_newline(b"retry:1000\ndata:test1\n\nid:test\ndata:test2");
    let outcome = assert_all_chunkings(&body, &[msg("test1")]);
    assert_eq!(outcome.retry, Some(1000));
    assert_eq!(outcome.last_event_id, "");

    let mut parser = Parser::new();
    let first = parse_with(&mut parser, [body.as_slice()]);
    let reconnected = parse_with(&mut parser, [body.as_slice()]);
    assert_eq!(first.events, [msg("test1")]);
    assert_eq!(
        reconnected.events,
        [msg("test1")],
        "second event: data test1, lastEventId \"\""
    );
}

/// format-field-data: `data:` gives "", two bare `data` lines give "\n".
#[test]
fn format_field_data() {
    let body = served(b"data:\n\ndata\ndata\n\ndata:test");
    assert_all_chunkings(&body, &[msg(""), msg("\n"), msg("test")]);
}

/// format-field-event: a custom event type, then a plain `message`.
#[test]
fn format_field_event() {
    let body = served(b"event:test\ndata:x\n\ndata:x");
    assert_all_chunkings(&body, &[ev("test", "x", ""), msg("x")]);
}

/// format-field-event-empty: `event: ` (empty after the space) leaves the type `message`.
#[test]
fn format_field_event_empty() {
    let body = served(b"event: \ndata:data");
    assert_all_chunkings(&body, &[msg("data")]);
}

/// The body of `last-event-id.py` on first connection (`idvalue` defaults to "…").
fn last_event_id_first_body(id: &[u8]) -> Vec<u8> {
    [b"id: ".as_slice(), id, b"\nretry: 200\ndata: hello\n\n"].concat()
}

/// format-field-id: the ID is set, carried by the event, and survives a reconnection (the server
/// then echoes the `Last-Event-ID` header the client sent as data).
#[test]
fn format_field_id() {
    let first = last_event_id_first_body("…".as_bytes());
    let outcome = assert_all_chunkings(&first, &[ev("message", "hello", "…")]);
    assert_eq!(outcome.retry, Some(200));

    let mut parser = Parser::new();
    parse_with(&mut parser, [first.as_slice()]);
    let header = parser.last_event_id().to_owned();
    assert_eq!(header, "…", "Last-Event-ID to send on reconnection");
    let echoed = format!("data: {header}\n\n");
    let second = parse_with(&mut parser, [echoed.as_bytes()]);
    assert_eq!(second.events, [ev("message", "…", "…")]);
}

/// format-field-id-2: the same over two reconnections.
#[test]
fn format_field_id_2() {
    let mut parser = Parser::new();
    let first = parse_with(
        &mut parser,
        [last_event_id_first_body("…".as_bytes()).as_slice()],
    );
    assert_eq!(first.events, [ev("message", "hello", "…")]);
    for _ in 0..2 {
        let echoed = format!("data: {}\n\n", parser.last_event_id());
        let again = parse_with(&mut parser, echoed.as_bytes().chunks(1));
        assert_eq!(again.events, [ev("message", "…", "…")]);
    }
}

/// format-field-id-3: the ID persists across events, changes, and is reset by an empty `id:`.
#[test]
fn format_field_id_3() {
    assert_all_chunkings(
        b"id: 1\ndata: 1\n\ndata:2\n\n",
        &[ev("message", "1", "1"), ev("message", "2", "1")],
    );
    assert_all_chunkings(
        b"id: 1\ndata: 1\n\nid: 2\ndata:2\n\ndata:3\n\n",
        &[
            ev("message", "1", "1"),
            ev("message", "2", "2"),
            ev("message", "3", "2"),
        ],
    );
    assert_all_chunkings(
        b"id: 1\ndata: 1\n\nid:\ndata:2\n\ndata:3\n\n",
        &[
            ev("message", "1", "1"),
            ev("message", "2", ""),
            ev("message", "3", ""),
        ],
    );
}

/// format-field-id-null (`idvalue=%00%00`): an ID containing U+0000 is ignored, so no
/// `Last-Event-ID` is sent and the server answers the first body again.
#[test]
fn format_field_id_null() {
    let body = last_event_id_first_body(b"\0\0");
    let outcome = assert_all_chunkings(&body, &[msg("hello")]);
    assert_eq!(
        outcome.last_event_id, "",
        "no Last-Event-ID header on reconnection"
    );
    // A NULL anywhere in the value counts, and the previous ID stays.
    assert_all_chunkings(
        b"id: a\ndata: 1\n\nid: b\0c\ndata: 2\n\n",
        &[ev("message", "1", "a"), ev("message", "2", "a")],
    );
}

/// format-field-parsing: field names compare literally; only `data` lines count.
#[test]
fn format_field_parsing() {
    let message = b"data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n";
    let body = served_without_newline(message);
    assert_all_chunkings(&body, &[msg("\0\n 2\n1\n3\n\n4")]);
}

/// format-field-retry: "02000" is 2000 (decimal, not octal).
#[test]
fn format_field_retry() {
    let outcome = assert_all_chunkings(&served(b"retry:02000\ndata:x"), &[msg("x")]);
    assert_eq!(outcome.retry, Some(2000));
}

/// format-field-retry-bogus: a value with a non-digit is ignored; the earlier one stays.
#[test]
fn format_field_retry_bogus() {
    let outcome = assert_all_chunkings(&served(b"retry:2000\nretry:1000x\ndata:x"), &[msg("x")]);
    assert_eq!(outcome.retry, Some(2000));
    for bogus in [
        &b"retry: -5\n"[..],
        b"retry:1.5\n",
        b"retry:  7\n",
        b"retry:\xD9\xA3\n",
    ] {
        let outcome = assert_all_chunkings(bogus, &[]);
        assert_eq!(outcome.retry, None, "{:?}", String::from_utf8_lossy(bogus));
    }
}

/// format-field-retry-empty: a bare `retry` line sets nothing, and the event still arrives.
#[test]
fn format_field_retry_empty() {
    let outcome = assert_all_chunkings(&served(b"retry\ndata:test"), &[msg("test")]);
    assert_eq!(outcome.retry, None);
}

/// format-field-unknown: unknown fields, a field name with a leading space, text without a colon
/// and a comment are all ignored.
#[test]
fn format_field_unknown() {
    let body =
        served(b"data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test");
    assert_all_chunkings(&body, &[msg("test\n\ntest")]);
}

/// format-leading-space: only a space (not a tab) after the colon is removed; a CR ends a line.
#[test]
fn format_leading_space() {
    let body = served(b"data:\ttest\rdata: \ndata:test");
    assert_all_chunkings(&body, &[msg("\ttest\n\ntest")]);
}

/// format-newlines: CRLF, LF and a final CR + LF (one blank line, not two).
#[test]
fn format_newlines() {
    let body = served_without_newline(b"data:test\r\ndata\ndata:test\r\n\r");
    assert_all_chunkings(&body, &[msg("test\n\ntest")]);
}

/// format-null-character: U+0000 in data is kept.
#[test]
fn format_null_character() {
    assert_all_chunkings(&served(b"data:\0\n\n"), &[msg("\0")]);
}

/// format-utf-8: the stream is UTF-8 whatever `charset` the Content-Type names.
#[test]
fn format_utf_8() {
    assert!(is_event_stream_content_type(
        "text/event-stream;charset=windows-1252"
    ));
    assert_all_chunkings(&served(b"data:ok\xE2\x80\xA6"), &[msg("ok…")]);
}

/// format-mime-trailing-semicolon, format-mime-valid-bogus, format-mime-bogus: which
/// Content-Type values open the stream.
#[test]
fn format_mime() {
    assert!(is_event_stream_content_type("text/event-stream;"));
    assert!(is_event_stream_content_type("text/event-stream"));
    assert!(!is_event_stream_content_type("text/x-bogus"));
    assert!(!is_event_stream_content_type("x bogus"));
}

/// event-data: several data lines, a bare `data` line, and a final block, in one stream.
/// (The input is rebuilt from the test's assertions; `message2.py` itself writes it in pieces,
/// which the every-split-point check covers.)
#[test]
fn event_data_lines() {
    let stream = b"data:msg\ndata:msg\n\n:\nfalsedata:msg\n\ndata\n\ndata:end\n\n";
    assert_all_chunkings(stream, &[msg("msg\nmsg"), msg(""), msg("end")]);
}
