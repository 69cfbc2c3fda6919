//! Understanding a request in plain words (English and Simplified Chinese), deterministically.
//!
//! [`understand`] turns a message into an [`Intent`]; [`summary`] renders a spec for people
//! ("MP3 · 192 kbps · 0:30–2:15"); [`route`] is the reference's keyword routing table.

mod spec;

pub use spec::*;

/// Understand a message. Never guesses silently: what it cannot do becomes
/// [`Intent::Unsupported`], and a message with nothing to act on becomes [`Intent::Help`].
pub fn understand(_message: &str) -> Intent {
    // Placeholder until the parser lands: everything is a default extraction.
    Intent::Extract { spec: ExtractionSpec::default() }
}

/// Short description of a spec for people, for example "MP3 · 192 kbps · 0:30–2:15".
pub fn summary(spec: &ExtractionSpec) -> String {
    spec.format.map(|f| f.label().to_string()).unwrap_or_else(|| "Original audio".into())
}

/// The reference's keyword routing (export / credits / status / upload, in English and Chinese);
/// everything else goes to `/run_sse`.
pub fn route(_message: &str) -> Route {
    Route::Run
}
