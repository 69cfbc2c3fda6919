//! Every way a client operation fails, each with a sentence for a person and the next step.

use crate::protocol::text::{self, say, Key};
use crate::protocol::{ApiCode, Lang};

/// A failed client operation. `Display` is the full sentence for a person (what happened, then
/// what to do), from the keyed catalog (`protocol::text`) in the session's language;
/// [`ClientError::next_step`] is its last sentence alone and [`ClientError::recoverable`] says
/// whether trying again can help.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClientError {
    /// The server answered with an error code the client could not recover from.
    #[error("{message}")]
    Api {
        /// The reference's code (1001, 1002, 2001, 4001, 4002, 402, 429, …) or the HTTP status.
        code: i64,
        /// What happened, then what to do (the full sentence).
        message: String,
        /// What the person can do about it.
        next_step: String,
    },
    /// The server refused the person's own token (set in the options), so nothing else was
    /// tried: swapping it for an anonymous one would spend other credits behind their back.
    #[error("{}", say(*lang, Key::ClientTokenRefused, &[("detail", or_dash(detail, *lang))]))]
    TokenRefused {
        /// What the server said.
        detail: String,
        /// The language it is said in.
        lang: Lang,
    },
    /// The server could not be reached at all (down, wrong address, offline).
    #[error("{}", say(*lang, Key::ClientNetwork, &[("url", url)]))]
    Network {
        /// The base URL that was tried.
        url: String,
        /// What the platform said, for logs.
        detail: String,
        /// The language it is said in.
        lang: Lang,
    },
    /// The person (or the extension) cancelled the operation.
    #[error("{}", say(*lang, Key::ClientAborted, &[]))]
    Aborted {
        /// The language it is said in.
        lang: Lang,
    },
    /// The server's answer was not what the API describes (bad JSON, missing fields).
    #[error("{}", say(*lang, Key::ClientProtocol, &[("detail", detail)]))]
    Protocol {
        /// What was wrong, for logs and bug reports.
        detail: String,
        /// The language it is said in.
        lang: Lang,
    },
    /// The event stream of a run was cut before the run finished.
    #[error("{}", say(*lang, Key::ClientStream, &[("detail", detail)]))]
    Stream {
        /// What the platform said.
        detail: String,
        /// The language it is said in.
        lang: Lang,
    },
    /// The server reported a failure inside a run (an ADK `errorCode` event).
    #[error("{message}")]
    RunFailed {
        /// The ADK error code, for logs.
        code: String,
        /// The server's sentence, with a next step (added when the server gave none).
        message: String,
    },
    /// A sentence of the keyed catalog (`protocol::text`), already in the person's language.
    #[error("{message}")]
    Said {
        /// "timed_out", "export_failed", or "protocol" for an answer missing a needed field.
        code: &'static str,
        /// What happened, then what to do.
        message: String,
        /// Whether trying again can help.
        recoverable: bool,
    },
    /// Refused before upload: not a type the service takes.
    #[error("{message}")]
    UnsupportedType {
        /// The same sentence the server gives (see [`crate::protocol`] messages).
        message: String,
    },
    /// Refused before upload: over the size limit.
    #[error("{message}")]
    TooLarge {
        /// The same sentence the server gives.
        message: String,
    },
}

/// The code a JavaScript caller sees: the API's number, or a short string for local failures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCode {
    /// The API's code (or an HTTP status).
    Number(i64),
    /// A local failure: "network", "upload_cut", "aborted", "protocol", "stream", "run_failed",
    /// "unsupported_type", "too_large", "timed_out" or "export_failed".
    Text(&'static str),
}

impl ClientError {
    /// [`ClientError::api_in`] in English (a caller without a session language).
    pub fn api(code: i64, server_message: &str) -> Self {
        Self::api_in(code, server_message, Lang::En)
    }

    /// Build the error for an API code the client does not (or no longer) recover from, in
    /// `lang`. `server_message` is what the server said; it is used where it is more specific
    /// than ours.
    pub fn api_in(code: i64, server_message: &str, lang: Lang) -> Self {
        let server_message = server_message.trim();
        let said = |key: Key, args: &[(&str, &str)]| {
            let message = say(lang, key, args);
            Self::Api {
                code,
                next_step: last_sentence(&message).into(),
                message,
            }
        };
        let kept = |next_step: String| Self::Api {
            code,
            message: server_message.into(),
            next_step,
        };
        match ApiCode::from_code(code) {
            ApiCode::TokenInvalid => said(Key::ClientTokenExpired, &[]),
            ApiCode::SessionNotFound => said(Key::ClientSessionLost, &[]),
            ApiCode::OutOfCredits => {
                let general = said(Key::ClientOutOfCredits, &[]);
                // The hosted API puts the registration link (with ?bind=<id>) in its message.
                match general {
                    Self::Api {
                        message, next_step, ..
                    } if server_message.contains("http") => {
                        let (what, _) = message.split_at(message.len() - next_step.len());
                        Self::Api {
                            code,
                            message: format!("{}{server_message} {next_step}", what),
                            next_step,
                        }
                    }
                    general => general,
                }
            }
            // The server's sentences for these already name the next step (see
            // `protocol::text`); ours are only the fallback for a terse backend.
            ApiCode::UnsupportedType if !server_message.is_empty() => kept(text::accepted(lang)),
            ApiCode::UnsupportedType => said(
                Key::ClientUnsupportedType,
                &[("accepted", &text::accepted(lang))],
            ),
            ApiCode::TooLarge if !server_message.is_empty() => {
                kept(last_sentence(server_message).into())
            }
            ApiCode::TooLarge => said(Key::ClientTooLarge, &[]),
            ApiCode::PlanBlocked => said(Key::ClientPlanBlocked, &[]),
            ApiCode::RateLimited => said(Key::ClientRateLimited, &[]),
            ApiCode::BadRequest => said(
                Key::ClientBadRequest,
                &[("detail", or_dash(server_message, lang))],
            ),
            ApiCode::Other(URL_REFUSED) => {
                let step = say(lang, Key::ClientUrlRefused, &[("reason", "")]);
                let step = step.trim();
                if server_message.contains(step) {
                    kept(step.into())
                } else {
                    let reason = match server_message {
                        "" => say(lang, Key::ClientUrlNotFetched, &[]),
                        s => s.into(),
                    };
                    said(Key::ClientUrlRefused, &[("reason", &reason)])
                }
            }
            // This project's server writes whole sentences for people (404 "The upload … was
            // removed … Upload it again."): keep them. A terse backend's words get wrapped.
            ApiCode::Other(_) if is_sentence(server_message) => {
                kept(last_sentence(server_message).into())
            }
            ApiCode::Ok | ApiCode::Other(_) => said(
                Key::ClientOtherError,
                &[
                    ("code", &code.to_string()),
                    ("detail", or_dash(server_message, lang)),
                ],
            ),
        }
    }

    /// The same error said in `lang` (errors built where the session's language is not at
    /// hand are said in English until the client's boundary calls this).
    pub fn in_lang(mut self, to: Lang) -> Self {
        match &mut self {
            Self::TokenRefused { lang, .. }
            | Self::Network { lang, .. }
            | Self::Aborted { lang }
            | Self::Protocol { lang, .. }
            | Self::Stream { lang, .. } => *lang = to,
            _ => {}
        }
        self
    }

    /// Whether trying again (possibly later) can succeed without changing anything.
    pub fn recoverable(&self) -> bool {
        match self {
            Self::Api { code, .. } => {
                matches!(
                    ApiCode::from_code(*code),
                    ApiCode::TokenInvalid | ApiCode::SessionNotFound | ApiCode::RateLimited
                ) || (500..600).contains(code)
            }
            Self::Network { .. }
            | Self::Aborted { .. }
            | Self::Stream { .. }
            | Self::RunFailed { .. } => true,
            Self::Said { recoverable, .. } => *recoverable,
            Self::TokenRefused { .. }
            | Self::Protocol { .. }
            | Self::UnsupportedType { .. }
            | Self::TooLarge { .. } => false,
        }
    }

    /// The code a JavaScript caller sees.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Api { code, .. } => ErrorCode::Number(*code),
            Self::TokenRefused { .. } => ErrorCode::Number(ApiCode::TokenInvalid.code()),
            Self::Network { .. } => ErrorCode::Text("network"),
            Self::Aborted { .. } => ErrorCode::Text("aborted"),
            Self::Protocol { .. } => ErrorCode::Text("protocol"),
            Self::Stream { .. } => ErrorCode::Text("stream"),
            Self::RunFailed { .. } => ErrorCode::Text("run_failed"),
            Self::Said { code, .. } => ErrorCode::Text(code),
            Self::UnsupportedType { .. } => ErrorCode::Text("unsupported_type"),
            Self::TooLarge { .. } => ErrorCode::Text("too_large"),
        }
    }

    /// The next step alone: the sentence's last sentence (the 4001 list of accepted types).
    pub fn next_step(&self) -> Option<String> {
        match self {
            Self::Api { next_step, .. } => Some(next_step.clone()),
            Self::UnsupportedType { .. } => Some(text::accepted(Lang::En)),
            other => Some(last_sentence(&other.to_string()).into()),
        }
    }

    /// A failure the server reported inside a run; a next step is added when it has none.
    pub fn run_failed(code: &str, message: &str, lang: Lang) -> Self {
        let message = message.trim();
        // Both languages' "try again" count as a next step already given.
        let message = if message.to_ascii_lowercase().contains("again") || message.contains("再试")
        {
            message.to_string()
        } else {
            say(lang, Key::ClientRunFailed, &[("message", message)])
        };
        Self::RunFailed {
            code: code.into(),
            message,
        }
    }

    /// An answer not as the API describes; said in English until [`ClientError::in_lang`].
    pub(crate) fn protocol(detail: impl std::fmt::Display) -> Self {
        Self::Protocol {
            detail: detail.to_string(),
            lang: Lang::En,
        }
    }
}

/// 4003 of this project's server: a by-URL upload it would not or could not fetch.
pub const URL_REFUSED: i64 = 4003;

/// Whether a server message reads as sentences for a person rather than a bare status.
fn is_sentence(message: &str) -> bool {
    message.len() >= 20 && message.contains(' ') && message.ends_with(['.', '!', '。'])
}

/// The last sentence of a message (its next step, in this project's server's style), in
/// either language.
pub(super) fn last_sentence(message: &str) -> &str {
    let body = message.trim_end().trim_end_matches(['.', '!', '。', '！']);
    let en = body.rfind(". ").map(|at| at + 2);
    let zh = body.rfind('。').map(|at| at + '。'.len_utf8());
    match en.max(zh) {
        Some(at) => message[at..].trim(),
        None => message,
    }
}

fn or_dash(s: &str, lang: Lang) -> &str {
    if s.is_empty() {
        text::template(lang, Key::ClientNoDetails)
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_step_is_the_last_sentence_in_either_language() {
        assert_eq!(last_sentence("It broke. Try again."), "Try again.");
        assert_eq!(last_sentence("坏了。请再试一次。"), "请再试一次。");
        assert_eq!(last_sentence("One sentence only."), "One sentence only.");
    }
}
