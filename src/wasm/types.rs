//! The TypeScript declarations no Rust type can give: the thrown error (a JS `Error` with
//! fields set by `error::to_js_error`) and the server's free-form health answer. Every plain
//! object the API takes or returns (`ClientOptions`, `MediaInfo`, `GeneratedMedia`, `Update`,
//! `Outcome`, `Intent`, …) is declared by its Rust type's `tsify::Tsify` derive, so the
//! declarations cannot drift from what crosses.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** What the server says about itself (`/healthz`); other fields may follow. */
export interface Health { version?: string; ffmpeg?: string; [key: string]: unknown; }

/** Every error this package throws (besides TypeErrors for bad arguments). */
export interface VideoToAudioError extends Error {
  name: "VideoToAudioError";
  /** The API's code (1001, 2001, 4001, 4002, 402, 429, ...) or "network" | "upload_cut" | "aborted" |
   *  "protocol" | "stream" | "run_failed" | "unsupported_type" | "too_large" | "timed_out" |
   *  "export_failed". */
  code: number | string;
  /** Whether trying again can succeed without changing anything. */
  recoverable: boolean;
  /** The next step alone (the message already ends with it). */
  nextStep: string | null;
}
"#;
