//! The client's own sentences for people: the keyed catalog (`protocol::text`) in the session's
//! language, and the backend-aware ones (how to get credits where the person works).

use super::core::Client;
use super::{ClientError, Transport};
use crate::protocol::text::{say, Key};
use crate::protocol::{ApiCode, Lang};

impl<T: Transport> Client<T> {
    /// The error for a code no recovery rule took. A refused fixed token gets its own sentence:
    /// the generic 1001 one ("try again in a minute") would send the person round in circles.
    pub(super) fn unrecovered(&self, code: i64, message: &str) -> ClientError {
        let host = self.host();
        let said = |key: Key, args: &[(&str, &str)]| {
            let message = say(self.lang(), key, args);
            ClientError::Api {
                code,
                next_step: super::error::last_sentence(&message).into(),
                message,
            }
        };
        match ApiCode::from_code(code) {
            ApiCode::TokenInvalid if self.has_fixed_token() => ClientError::TokenRefused {
                detail: message.trim().trim_end_matches('.').to_owned(),
                lang: self.lang(),
            },
            // How to get credits depends on the backend: the hosted service's registration
            // link (with ?bind=<id>) when its answer has one, our server's --credits flag.
            ApiCode::OutOfCredits => match registration_link(message) {
                Some(link) => said(Key::OutOfCreditsLink, &[("link", &link)]),
                None if self.is_loopback() => said(Key::OutOfCreditsLocal, &[("host", &host)]),
                None => said(Key::OutOfCreditsHosted, &[("host", &host)]),
            },
            ApiCode::PlanBlocked => said(Key::PlanBlocked, &[("host", &host)]),
            _ => ClientError::api_in(code, message, self.lang()),
        }
    }

    /// The language sentences are given in (the session's language).
    pub(super) fn lang(&self) -> Lang {
        self.config
            .language
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or(Lang::En)
    }

    /// The backend's host ("127.0.0.1:8787"), for sentences.
    pub(super) fn host(&self) -> String {
        let url = self.config.base_url.trim();
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        rest.split('/').next().unwrap_or(rest).to_string()
    }

    /// Whether the backend runs on this machine (this project's server, in practice).
    pub(super) fn is_loopback(&self) -> bool {
        let host = self.host();
        host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]")
    }

    /// A catalog sentence as an error with a text code.
    pub(super) fn said(&self, code: &'static str, key: Key, args: &[(&str, &str)]) -> ClientError {
        ClientError::Said {
            code,
            message: say(self.lang(), key, args),
            recoverable: true,
        }
    }

    /// An answer without a field the client cannot do without.
    pub(super) fn unreadable(&self, missing: super::tolerant::Missing) -> ClientError {
        ClientError::Said {
            code: "protocol",
            message: say(
                self.lang(),
                Key::UnreadableAnswer,
                &[("what", missing.what), ("field", missing.field)],
            ),
            recoverable: false,
        }
    }
}

/// The registration link of a 2001 message, if it has one (the one with `bind=` first).
fn registration_link(message: &str) -> Option<String> {
    let links: Vec<&str> = message
        .split_whitespace()
        .filter(|w| w.contains("http://") || w.contains("https://"))
        .map(|w| {
            let start = w.find("http").unwrap_or(0);
            w[start..].trim_end_matches(['.', ',', ';', ')', '"', '\'', '。', '，', '）'])
        })
        .collect();
    links
        .iter()
        .find(|l| l.contains("bind="))
        .or_else(|| links.first())
        .map(|l| l.to_string())
}
