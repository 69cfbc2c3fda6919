//! Video to Audio — the client side of the product, in plain Rust.
//!
//! The pure parts (SSE parser, protocol types, request wording, client state machine) compile
//! and test natively; the browser bindings live in [`wasm`], compiled only for wasm32. The shared
//! crates ([`protocol`], [`wording`], [`sse`]) are the ones the server builds on too.

#[warn(missing_docs)]
pub mod client;

/// The shared facts (wire types, paths, codes, formats, sentences), from `crates/protocol`.
pub use v2a_protocol as protocol;
/// The event-stream parser, from `crates/sse`.
pub use v2a_sse as sse;
/// The request parser, from `crates/wording`.
pub use v2a_wording as wording;

#[cfg(target_arch = "wasm32")]
#[warn(missing_docs)]
pub mod wasm;

/// The crate version, sent as `X-Skill-Version` and reported by the server's `/healthz`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
