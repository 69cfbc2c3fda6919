//! A plain, whole-input reading of WHATWG HTML § 9.2.6 "Interpreting an event stream", written
//! from the text for comparison only: no chunking, no limits, no care for speed.

/// What a stream dispatches, and the state it leaves.
#[derive(Debug, Default)]
pub struct Outcome {
    /// (type, data, last event ID) of each dispatched event.
    pub events: Vec<(String, String, String)>,
    pub last_event_id: String,
    /// The last valid `retry`, unless a value too large for u64 appeared (then not compared).
    pub retry: Option<u64>,
    pub retry_overflowed: bool,
}

pub fn interpret(stream: &[u8]) -> Outcome {
    // "Streams must be decoded using the UTF-8 decode algorithm": one leading BOM is dropped,
    // invalid sequences become U+FFFD (from_utf8_lossy replaces maximal subparts, as it does).
    let text = String::from_utf8_lossy(stream);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut out = Outcome::default();
    let (mut data, mut event_type, mut id_buffer) = (String::new(), String::new(), String::new());
    // Lines end in CRLF, LF or CR; a last line without an end is never processed.
    let mut rest = text;
    while let Some(end) = rest.find(['\r', '\n']) {
        let line = &rest[..end];
        let skip = if rest[end..].starts_with("\r\n") {
            2
        } else {
            1
        };
        rest = &rest[end + skip..];
        if line.is_empty() {
            // Dispatch.
            out.last_event_id = id_buffer.clone();
            if data.is_empty() {
                event_type.clear();
                continue;
            }
            if data.ends_with('\n') {
                data.pop();
            }
            let kind = if event_type.is_empty() {
                "message".to_owned()
            } else {
                std::mem::take(&mut event_type)
            };
            out.events
                .push((kind, std::mem::take(&mut data), out.last_event_id.clone()));
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => event_type = value.to_owned(),
            "data" => {
                data.push_str(value);
                data.push('\n');
            }
            "id" if !value.contains('\0') => id_buffer = value.to_owned(),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                match value.parse::<u64>() {
                    Ok(ms) => out.retry = Some(ms),
                    Err(_) => out.retry_overflowed = true,
                }
            }
            _ => {}
        }
    }
    out
}
