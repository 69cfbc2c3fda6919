//! The language of a message, and the help and refusal replies (their sentences are keys of
//! `v2a_protocol::text`).

pub use v2a_protocol::Lang;

use v2a_protocol::text::{self, Key};

use super::text::is_han;

/// Whether the message contains Chinese characters.
pub fn is_chinese(message: &str) -> bool {
    message.chars().any(is_han)
}

/// Reply in Chinese to a message with Chinese characters in it, else in English.
pub fn detect_lang(message: &str) -> Lang {
    if is_chinese(message) {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// What the product can do, with example requests.
pub fn help_text(lang: Lang) -> String {
    text::say(lang, Key::Help, &[])
}

/// The reply to [`Intent::Unsupported`](super::Intent::Unsupported): one sentence naming what
/// was asked and that it cannot be done, then what can be done.
pub fn unsupported_text(reason: &str, lang: Lang) -> String {
    text::say(lang, Key::Unsupported, &[("reason", reason)])
}
