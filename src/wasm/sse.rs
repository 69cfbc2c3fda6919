//! The event-stream parser as a JavaScript class, so a page can measure it against JavaScript
//! parsers on the same bytes (bench/, section 5). The extension itself parses inside the client.

use wasm_bindgen::prelude::*;

/// Feeds bytes to [`crate::sse::Parser`]; the events stay on the Rust side, as in the client.
#[wasm_bindgen(js_name = SseParser)]
pub struct SseParserJs {
    inner: crate::sse::Parser,
    data_bytes: f64,
}

#[wasm_bindgen(js_class = SseParser)]
impl SseParserJs {
    /// A parser with the client's default event size limit.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Self {
        Self {
            inner: crate::sse::Parser::new(),
            data_bytes: 0.0,
        }
    }

    /// Parse the next chunk of the stream; the number of events it completed.
    pub fn feed(&mut self, chunk: &[u8]) -> u32 {
        let events = self.inner.feed(chunk);
        self.data_bytes += events.iter().map(|e| e.data.len() as f64).sum::<f64>();
        u32::try_from(events.len()).unwrap_or(u32::MAX)
    }

    /// Total bytes of event data parsed so far (a check that the work was done).
    #[wasm_bindgen(getter, js_name = dataBytes)]
    pub fn data_bytes(&self) -> f64 {
        self.data_bytes
    }
}

impl Default for SseParserJs {
    fn default() -> Self {
        Self::new()
    }
}
