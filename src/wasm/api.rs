//! The free functions: request wording, routing, the pre-upload check and client ids.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::error::to_js_error;
use super::json;
use crate::client::{check_file, download_name};
use crate::protocol::text::{self, Key};
use crate::protocol::Lang;
use crate::wording::{self, Intent};

/// Understand a message: what it asks for (an `Intent`).
#[wasm_bindgen(unchecked_return_type = "Intent")]
pub fn understand(text: &str) -> Result<JsValue, JsValue> {
    json(&wording::understand(text))
}

/// A short description for people ("MP3 · 192 kbps · 0:30–2:15") of what a message asks for;
/// `undefined` when it asks for no extraction (help, or something this product cannot do).
#[wasm_bindgen]
pub fn summarize(text: &str) -> Option<String> {
    match wording::understand(text) {
        Intent::Extract { spec } => Some(wording::summary(&spec)),
        Intent::Help | Intent::Unsupported { .. } => None,
    }
}

/// The instruction with the format it names replaced by a chip's `phrase` ("as WAV"), or
/// `phrase` appended when it names none.
#[wasm_bindgen(js_name = withFormat)]
pub fn with_format_js(text: &str, phrase: &str) -> String {
    wording::with_format(text, phrase)
}

/// The reference's keyword routing: "export", "credits", "status", "upload" or "run".
#[wasm_bindgen(js_name = route, unchecked_return_type = "Route")]
pub fn route_js(text: &str) -> Result<JsValue, JsValue> {
    json(&wording::route(text))
}

/// The catalog's sentence `key` (a `v2a_protocol::text::Key` name, e.g. "FileGone") in the
/// language of the browser tag `lang` ("zh-CN" → Chinese, else English), with each `{name}` of
/// its template replaced by `args[name]`: the extension's pages and runner word their own
/// failures through this, so the JavaScript holds no sentences. An unknown key is a bug in the
/// extension, thrown as a TypeError.
#[wasm_bindgen]
pub fn say(
    lang: &str,
    key: &str,
    #[wasm_bindgen(unchecked_param_type = "Record<string, string | number> | undefined")]
    args: JsValue,
) -> Result<String, JsValue> {
    let key = Key::from_name(key)
        .ok_or_else(|| super::error::argument_error(format!("no sentence has the key {key:?}")))?;
    let args: Vec<(String, String)> = if args.is_object() {
        js_sys::Object::entries(args.unchecked_ref())
            .iter()
            .map(|pair| {
                let pair: js_sys::Array = pair.unchecked_into();
                let value = pair.get(1);
                let value = value
                    .as_string()
                    .or_else(|| value.as_f64().map(|n| n.to_string()))
                    .unwrap_or_default();
                (pair.get(0).as_string().unwrap_or_default(), value)
            })
            .collect()
    } else {
        Vec::new()
    };
    let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    Ok(text::say(
        Lang::from_tag(lang).unwrap_or(Lang::En),
        key,
        &args,
    ))
}

/// The file name to save a result under: the page title or file name `titleOrFile` (its
/// extension replaced) made safe on every platform, plus the result's format `extension`;
/// "audio.mp3"-like when nothing usable is left.
#[wasm_bindgen(js_name = downloadName)]
pub fn download_name_js(
    #[wasm_bindgen(js_name = titleOrFile)] title_or_file: &str,
    extension: &str,
) -> String {
    download_name(title_or_file, extension)
}

/// Check a file before upload: returns the container it is taken as ("mp4", "wav", …), or
/// throws the VideoToAudioError the server would give (`unsupported_type`, `too_large`).
/// `maxBytes` defaults to 500 MB; `language` (a tag such as "zh-CN") words the refusal.
#[wasm_bindgen(js_name = checkFile)]
pub fn check_file_js(
    name: &str,
    size: f64,
    mime: &str,
    #[wasm_bindgen(js_name = maxBytes)] max_bytes: Option<f64>,
    language: Option<String>,
) -> Result<String, JsValue> {
    let max = max_bytes
        .map(|m| m as u64)
        .unwrap_or(crate::protocol::DEFAULT_MAX_UPLOAD_BYTES);
    let lang = language
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(Lang::En);
    check_file(name, size as u64, mime, max, lang).map_err(|e| to_js_error(&e))
}

/// A size in decimal SI units ("15.4 kB"), written as the server writes it.
#[wasm_bindgen(js_name = formatSize)]
pub fn format_size(bytes: f64) -> String {
    crate::protocol::units::size(bytes.max(0.0) as u64)
}

/// A media's length as m:ss or h:mm:ss ("2:15").
#[wasm_bindgen(js_name = formatDuration)]
pub fn format_duration(seconds: f64) -> String {
    crate::protocol::units::duration(seconds)
}

/// A new client id (UUID v4), to generate once per install and keep.
#[wasm_bindgen(js_name = newClientId)]
pub fn new_client_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
