//! What the binding's wasm tests share.

use js_sys::Uint8Array;
use web_sys::{Blob, FileReaderSync};

/// All of `blob`'s bytes, read synchronously (the tests run in a dedicated worker).
pub fn read_blob(blob: &Blob) -> Vec<u8> {
    let buffer = FileReaderSync::new()
        .unwrap()
        .read_as_array_buffer(blob)
        .unwrap();
    Uint8Array::new(&buffer).to_vec()
}
