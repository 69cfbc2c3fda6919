//! Recognising an event-stream response by its `Content-Type`.

/// Whether a `Content-Type` header value announces an event stream.
///
/// `EventSource` fails the connection unless the response's MIME type essence is
/// `text/event-stream`: parameters are ignored (a `charset` too — the stream is always UTF-8),
/// type and subtype compare ASCII case-insensitively, and surrounding HTTP whitespace does not
/// matter. So `text/event-stream;` and `text/event-stream; charset=windows-1252` are event
/// streams; `text/x-bogus`, `x bogus` or `text/plain` are not.
pub fn is_event_stream_content_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default();
    essence
        .trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
        .eq_ignore_ascii_case("text/event-stream")
}

#[cfg(test)]
mod tests {
    use super::is_event_stream_content_type;

    #[test]
    fn essence_decides_parameters_do_not() {
        for yes in [
            "text/event-stream",
            "text/event-stream;",
            "Text/Event-Stream",
            " text/event-stream ; charset=windows-1252",
        ] {
            assert!(is_event_stream_content_type(yes), "{yes:?}");
        }
        for no in [
            "text/x-bogus",
            "x bogus",
            "",
            "text/plain",
            "text/event-stream2",
            "text/event",
        ] {
            assert!(!is_event_stream_content_type(no), "{no:?}");
        }
    }
}
