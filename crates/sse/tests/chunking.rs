//! Chunk boundaries must not matter: CRLF split across chunks, a split BOM, UTF-8 characters
//! split anywhere, invalid UTF-8, and a corpus of generated streams checked against a
//! whole-stream reference reading of the spec.

mod support;

use support::{assert_all_chunkings, assert_every_two_splits, msg, parse_whole, show};
use v2a_sse::{Event, Parser};

#[test]
fn cr_at_the_end_of_a_chunk_and_lf_at_the_start_of_the_next_are_one_line_end() {
    let mut parser = Parser::new();
    assert!(parser.feed(b"data: a\r").is_empty());
    assert!(
        parser.feed(b"\ndata: b\r").is_empty(),
        "the LF completes the CR; it is not a blank line"
    );
    assert_eq!(parser.feed(b"\n\r"), [msg("a\nb")]);
    assert!(
        parser.feed(b"\n").is_empty(),
        "the LF belongs to the CR before it"
    );
    assert!(parser.feed(b"data: c\n").is_empty());
    assert_eq!(parser.feed(b"\r"), [msg("c")], "a CR alone is a blank line");
}

#[test]
fn a_cr_followed_by_a_cr_is_two_line_ends_across_chunks() {
    let mut parser = Parser::new();
    assert!(parser.feed(b"data: a\r").is_empty());
    assert_eq!(parser.feed(b"\r"), [msg("a")]);
    assert_eq!(parser.feed(b"\ndata: b\r\n\r\n"), [msg("b")]);
}

#[test]
fn a_bom_split_across_chunks_is_still_skipped() {
    let stream = b"\xEF\xBB\xBFdata: x\n\n";
    for split in [1, 2] {
        let mut parser = Parser::new();
        assert!(parser.feed(&stream[..split]).is_empty());
        assert_eq!(
            parser.feed(&stream[split..]),
            [msg("x")],
            "split at {split}"
        );
    }
    assert_every_two_splits(stream, &[msg("x")]);
}

#[test]
fn the_start_of_a_bom_that_is_not_one_is_kept_as_text() {
    // EF BB then "d" is an invalid sequence: it decodes to one U+FFFD, which makes the field name
    // "\u{FFFD}data" — unknown, so no event; the next block is fine.
    assert_every_two_splits(b"\xEF\xBBdata: x\n\ndata: y\n\n", &[msg("y")]);
    assert_every_two_splits(b"\xEFdata: x\n\ndata: y\n\n", &[msg("y")]);
    // A partial BOM inside a data value is just invalid UTF-8 there.
    assert_all_chunkings(b"data: \xEF\xBB\n\n", &[msg("\u{FFFD}")]);
}

#[test]
fn a_new_stream_after_finish_may_start_with_a_bom_again() {
    let mut parser = Parser::new();
    assert_eq!(parser.feed(b"\xEF\xBB\xBFdata: 1\n\n"), [msg("1")]);
    assert!(parser.finish().is_empty());
    assert_eq!(parser.feed(b"\xEF\xBB"), []);
    assert_eq!(parser.feed(b"\xBFdata: 2\n\n"), [msg("2")]);
}

#[test]
fn multi_byte_characters_split_at_every_point_decode_whole() {
    // 2-, 3- and 4-byte sequences, in data, in the event type and in the ID.
    let stream = "event: é\nid: €\ndata: aé€😀z\n\n".as_bytes();
    let expected = [Event {
        event: "é".into(),
        data: "aé€😀z".into(),
        id: "€".into(),
    }];
    assert_every_two_splits(stream, &expected);
}

#[test]
fn invalid_utf8_becomes_replacement_characters() {
    assert_all_chunkings(b"data: a\xFFb\n\n", &[msg("a\u{FFFD}b")]);
    // A sequence cut short by the line end: one U+FFFD for the truncated character.
    assert_all_chunkings(b"data: \xE2\x82\r\n\r\n", &[msg("\u{FFFD}")]);
    assert_all_chunkings(b"data: \xF0\x9F\x98\ndata: ok\n\n", &[msg("\u{FFFD}\nok")]);
    // An overlong encoding and a lone continuation byte are one U+FFFD per byte.
    assert_all_chunkings(
        b"data: \xC0\xAF\x80\n\n",
        &[msg("\u{FFFD}\u{FFFD}\u{FFFD}")],
    );
    // Invalid bytes in a field name make it unknown.
    assert_all_chunkings(b"dat\xFFa: x\n\ndata: y\n\n", &[msg("y")]);
}

/// A deterministic pseudo-random generator (64-bit LCG, Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Field names, known and not: how lines start.
const NAMES: &[&[u8]] = &[
    b"data",
    b"data",
    b"data",
    b"event",
    b"id",
    b"retry",
    b"",
    b"Data",
    b"foo",
    b" data",
    b"\xEF\xBB\xBFdata",
];

/// What may follow a field name.
const SEPARATORS: &[&[u8]] = &[b":", b": ", b"", b":  ", b"::"];

/// Value pieces: digits, text, spaces, colons, NUL, multi-byte and invalid UTF-8, BOMs, and
/// stray line ends.
const VALUES: &[&[u8]] = &[
    b"12",
    b"0",
    b"x",
    b"hello",
    b" ",
    b":",
    b"\0",
    b"\t",
    b"\xEF\xBB\xBF",
    b"\xEF\xBB",
    b"\xC3\xA9",
    b"\xE2\x82\xAC",
    b"\xF0\x9F\x98\x80",
    b"\xF0\x9F",
    b"\xFF",
    b"\x80",
    b"\r",
    b"\n",
];

const LINE_ENDS: &[&[u8]] = &[b"\n", b"\r", b"\r\n"];

/// A stream of lines built from the pieces above, with blank lines between blocks; it may start
/// with a BOM and may end in the middle of a line.
fn random_stream(rng: &mut Lcg) -> Vec<u8> {
    let mut stream = Vec::new();
    if rng.below(4) == 0 {
        stream.extend_from_slice(b"\xEF\xBB\xBF");
    }
    for _ in 0..1 + rng.below(12) {
        stream.extend_from_slice(NAMES[rng.below(NAMES.len())]);
        stream.extend_from_slice(SEPARATORS[rng.below(SEPARATORS.len())]);
        for _ in 0..rng.below(4) {
            stream.extend_from_slice(VALUES[rng.below(VALUES.len())]);
        }
        stream.extend_from_slice(LINE_ENDS[rng.below(LINE_ENDS.len())]);
        if rng.below(3) == 0 {
            stream.extend_from_slice(LINE_ENDS[rng.below(LINE_ENDS.len())]);
        }
    }
    // Sometimes cut the stream short, anywhere.
    if rng.below(4) == 0 {
        stream.truncate(rng.below(stream.len() + 1));
    }
    stream
}

/// Random chunk sizes, from empty chunks up to 17 bytes.
fn random_chunks<'a>(rng: &mut Lcg, input: &'a [u8]) -> Vec<&'a [u8]> {
    let mut chunks = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        let (chunk, tail) = rest.split_at(rng.below(18).min(rest.len()));
        chunks.push(chunk);
        rest = tail;
    }
    chunks
}

/// A reference reading of the spec that sees the whole stream at once: decode everything, strip
/// one leading BOM, cut lines, interpret them. Written independently of the parser, as plainly as
/// possible, so the two can be compared on any input.
fn reference(input: &[u8]) -> (Vec<Event>, Option<u64>, String) {
    let text = String::from_utf8_lossy(input);
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines.push(std::mem::take(&mut line));
            }
            _ => line.push(c),
        }
    }
    // Whatever follows the last line end is pending data, discarded at end of stream.
    let (mut data, mut kind, mut id_buffer, mut last_id) =
        (String::new(), String::new(), String::new(), String::new());
    let (mut events, mut retry) = (Vec::new(), None);
    for line in lines {
        if line.is_empty() {
            last_id = id_buffer.clone();
            if !data.is_empty() {
                data.pop();
                let event = if kind.is_empty() {
                    "message".into()
                } else {
                    kind.clone()
                };
                events.push(Event {
                    event,
                    data: data.clone(),
                    id: last_id.clone(),
                });
            }
            data.clear();
            kind.clear();
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        let (name, value) = match line.find(':') {
            Some(at) => {
                let value = &line[at + 1..];
                (&line[..at], value.strip_prefix(' ').unwrap_or(value))
            }
            None => (line.as_str(), ""),
        };
        match name {
            "event" => kind = value.to_owned(),
            "data" => {
                data.push_str(value);
                data.push('\n');
            }
            "id" if !value.contains('\0') => id_buffer = value.to_owned(),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                retry = value.parse().ok().or(retry);
            }
            _ => {}
        }
    }
    (events, retry, last_id)
}

#[test]
fn generated_streams_parse_the_same_in_any_chunking_and_match_the_reference() {
    let mut rng = Lcg(0x5EED_2026);
    let mut events_seen = 0;
    for case in 0..1000 {
        let input = random_stream(&mut rng);
        let whole = parse_whole(&input);
        let (events, retry, last_id) = reference(&input);
        assert_eq!(whole.events, events, "case {case}: {:?}", show(&input));
        assert_eq!(whole.retry, retry, "case {case}: {:?}", show(&input));
        assert_eq!(
            whole.last_event_id,
            last_id,
            "case {case}: {:?}",
            show(&input)
        );
        assert_eq!(whole.error, None);
        events_seen += events.len();

        let bytewise = support::parse_with(&mut Parser::new(), input.chunks(1));
        assert_eq!(
            bytewise,
            whole,
            "case {case} byte by byte: {:?}",
            show(&input)
        );
        for round in 0..8 {
            let chunks = random_chunks(&mut rng, &input);
            let chunked = support::parse_with(&mut Parser::new(), chunks.iter().copied());
            assert_eq!(chunked, whole, "case {case}, chunking {round}: {chunks:?}");
        }
    }
    // The corpus must actually exercise dispatch, or the comparison proves little.
    assert!(events_seen > 500, "only {events_seen} events in the corpus");
}
