//! The browser bindings: the fetch / XMLHttpRequest transport under [`crate::client`], and the
//! JavaScript API the extension calls (the `Client` class and a few free functions).
//!
//! Nothing here assumes a DOM window: globals are reached through `js_sys::global()` or bound as
//! plain global functions (`fetch`, `setTimeout`), so it runs in an extension service worker as
//! well as in a page or an offscreen document.

mod api;
mod client;
mod error;
mod fetch;
mod sse;
mod types;
mod upload;

pub use api::{check_file_js, new_client_id, route_js, summarize, understand};
pub use client::Client;
pub use error::to_js_error;
pub use fetch::{FetchStream, FetchTransport};
pub use sse::SseParserJs;

use wasm_bindgen::prelude::*;

/// Panics show up in the console with their message instead of "unreachable executed".
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A Rust value as a plain JS object (`null` for `None`, maps as objects: what `JSON.parse` of
/// its JSON would give), through serde-wasm-bindgen. Its shape is declared to TypeScript by the
/// type's `tsify::Tsify` derive.
pub(crate) fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error::argument_error(format!("could not convert a result: {e}")))
}

/// A plain JS object (options, a spec) as a Rust value, through serde-wasm-bindgen.
pub(crate) fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value.clone()).map_err(error::argument_error)
}
