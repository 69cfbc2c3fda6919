//! Video to Audio — the client side of the product, in plain Rust.
//!
//! The pure parts (SSE parser, protocol types, request wording, client state machine) compile
//! and test natively; the browser bindings live in [`wasm`], compiled only for wasm32. The server
//! crate reuses [`protocol`] and [`wording`] so that client and server cannot drift apart.

#[warn(missing_docs)]
pub mod client;
pub mod protocol;
pub mod sse;
pub mod wording;

#[cfg(target_arch = "wasm32")]
#[warn(missing_docs)]
pub mod wasm;

/// The crate version, sent as `X-Skill-Version` and reported by the server's `/healthz`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
