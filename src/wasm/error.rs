//! The one place a [`ClientError`] becomes a JavaScript `Error`.

use wasm_bindgen::prelude::*;

use crate::client::{ClientError, ErrorCode};

/// The `name` of every error this package throws.
pub const ERROR_NAME: &str = "VideoToAudioError";

/// A JS `Error` with `name = "VideoToAudioError"`, `code` (the API's number, or a string such as
/// `"network"`), `message` (a sentence for a person, with the next step), `recoverable` and
/// `nextStep`.
pub fn to_js_error(error: &ClientError) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name(ERROR_NAME);
    let code = match error.code() {
        ErrorCode::Number(n) => JsValue::from_f64(n as f64),
        ErrorCode::Text(s) => JsValue::from_str(s),
    };
    let next_step = error
        .next_step()
        .map(JsValue::from)
        .unwrap_or(JsValue::NULL);
    // Setting plain data properties on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&js, &"code".into(), &code);
    let _ = js_sys::Reflect::set(&js, &"recoverable".into(), &error.recoverable().into());
    let _ = js_sys::Reflect::set(&js, &"nextStep".into(), &next_step);
    js.into()
}

/// A bad argument from the caller: a programming error in the extension, not a person's, so a
/// plain `TypeError`.
pub fn argument_error(what: impl std::fmt::Display) -> JsValue {
    js_sys::TypeError::new(&format!("video_to_audio: {what}")).into()
}
