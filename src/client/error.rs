//! Every way a client operation fails, each with a sentence for a person and the next step.

use crate::protocol::{text, ApiCode, Lang};

/// A failed client operation. `Display` is the full sentence for a person (what happened, then
/// what to do); [`ClientError::next_step`] is the second half alone and
/// [`ClientError::recoverable`] says whether trying again can help.
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
    #[error(
        "The server refused the token set in the extension's options ({}). {}",
        or_dash(detail),
        TOKEN_REFUSED_NEXT_STEP
    )]
    TokenRefused {
        /// What the server said.
        detail: String,
    },
    /// The server could not be reached at all (down, wrong address, offline).
    #[error(
        "Can't reach the Video to Audio server at {url}. {}",
        NETWORK_NEXT_STEP
    )]
    Network {
        /// The base URL that was tried.
        url: String,
        /// What the platform said, for logs.
        detail: String,
    },
    /// The person (or the extension) cancelled the operation.
    #[error("Cancelled. {}", ABORTED_NEXT_STEP)]
    Aborted,
    /// The server's answer was not what the API describes (bad JSON, missing fields).
    #[error(
        "The server sent an answer this extension doesn't understand ({detail}). {}",
        PROTOCOL_NEXT_STEP
    )]
    Protocol {
        /// What was wrong, for logs and bug reports.
        detail: String,
    },
    /// The event stream of a run was cut before the run finished.
    #[error(
        "The connection to the server was cut before the result arrived ({detail}). {}",
        STREAM_NEXT_STEP
    )]
    Stream {
        /// What the platform said.
        detail: String,
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

const NETWORK_NEXT_STEP: &str =
    "Start it with ./build.sh run (or check the backend address in the extension's options).";
const TOKEN_REFUSED_NEXT_STEP: &str =
    "Put a current token there, or clear the field to use a free anonymous one.";
const ABORTED_NEXT_STEP: &str = "Start again whenever you like.";
const PROTOCOL_NEXT_STEP: &str =
    "Check that the backend address in the extension's options points at a Video to Audio server.";
const STREAM_NEXT_STEP: &str =
    "Look at the session in a moment (the result may still finish), or try again.";
const RUN_FAILED_NEXT_STEP: &str = "Try again, or ask differently.";

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
    /// Build the error for an API code the client does not (or no longer) recover from.
    /// `server_message` is what the server said; it is used where it is more specific than ours.
    pub fn api(code: i64, server_message: &str) -> Self {
        let server_message = server_message.trim();
        let (message, next_step): (String, &str) = match ApiCode::from_code(code) {
            ApiCode::TokenInvalid => (
                "Your access to the Video to Audio server expired and a new one could not be obtained.".into(),
                "Try again in a minute.",
            ),
            ApiCode::SessionNotFound => (
                "The working session was lost and a new one could not be created.".into(),
                "Try again in a minute.",
            ),
            ApiCode::OutOfCredits => {
                let mut m = String::from("You're out of credits.");
                // The hosted API puts the registration link (with ?bind=<id>) in its message.
                if server_message.contains("http") {
                    m.push(' ');
                    m.push_str(server_message);
                }
                (m, "Register or top up your account on the Video to Audio service, then try again.")
            }
            // The server's sentences for these already name the next step (see
            // `protocol::messages`); ours are only the fallback for a terse backend.
            ApiCode::UnsupportedType if !server_message.is_empty() => {
                return Self::Api {
                    code,
                    message: server_message.into(),
                    next_step: text::accepted(Lang::En),
                }
            }
            ApiCode::UnsupportedType => ("This file type isn't supported.".into(), ACCEPTED),
            ApiCode::TooLarge if !server_message.is_empty() => {
                return Self::Api {
                    code,
                    message: server_message.into(),
                    next_step: TRIM.into(),
                }
            }
            ApiCode::TooLarge => ("The file is larger than the server accepts.".into(), TRIM),
            ApiCode::PlanBlocked => (
                "Your plan doesn't allow exports; this is not about credits.".into(),
                "Upgrade the subscription on the Video to Audio service to export.",
            ),
            ApiCode::RateLimited => (
                "The Video to Audio server is getting too many requests right now.".into(),
                "Wait a minute and try again.",
            ),
            ApiCode::BadRequest => (
                format!("The server refused the request as malformed ({}).", or_dash(server_message)),
                "Reload the extension and try again.",
            ),
            ApiCode::Other(URL_REFUSED) => {
                let what = non_empty_or(server_message, "The server could not fetch that URL.");
                return Self::Api {
                    code,
                    message: with_step(&what, URL_REFUSED_STEP),
                    next_step: URL_REFUSED_STEP.into(),
                };
            }
            // This project's server writes whole sentences for people (404 "The upload … was
            // removed … Upload it again."): keep them. A terse backend's words get wrapped.
            ApiCode::Other(_) if is_sentence(server_message) => {
                return Self::Api {
                    code,
                    message: server_message.into(),
                    next_step: last_sentence(server_message).into(),
                };
            }
            ApiCode::Ok | ApiCode::Other(_) => (
                format!(
                    "The Video to Audio server answered with an error (code {code}: {}).",
                    or_dash(server_message)
                ),
                "Try again; if it keeps happening, look at the server's log.",
            ),
        };
        Self::Api {
            code,
            message: format!("{message} {next_step}"),
            next_step: next_step.into(),
        }
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
            Self::Network { .. } | Self::Aborted | Self::Stream { .. } | Self::RunFailed { .. } => {
                true
            }
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
            Self::Aborted => ErrorCode::Text("aborted"),
            Self::Protocol { .. } => ErrorCode::Text("protocol"),
            Self::Stream { .. } => ErrorCode::Text("stream"),
            Self::RunFailed { .. } => ErrorCode::Text("run_failed"),
            Self::Said { code, .. } => ErrorCode::Text(code),
            Self::UnsupportedType { .. } => ErrorCode::Text("unsupported_type"),
            Self::TooLarge { .. } => ErrorCode::Text("too_large"),
        }
    }

    /// The next step alone, when there is one.
    pub fn next_step(&self) -> Option<String> {
        match self {
            Self::Api { next_step, .. } => Some(next_step.clone()),
            Self::TokenRefused { .. } => Some(TOKEN_REFUSED_NEXT_STEP.into()),
            Self::Network { .. } => Some(NETWORK_NEXT_STEP.into()),
            Self::Aborted => Some(ABORTED_NEXT_STEP.into()),
            Self::Protocol { .. } => Some(PROTOCOL_NEXT_STEP.into()),
            Self::Stream { .. } => Some(STREAM_NEXT_STEP.into()),
            Self::RunFailed { .. } => Some(RUN_FAILED_NEXT_STEP.into()),
            Self::Said { message, .. } => Some(last_sentence(message).into()),
            Self::UnsupportedType { .. } => Some(text::accepted(Lang::En)),
            Self::TooLarge { .. } => Some(TRIM.into()),
        }
    }

    /// A failure the server reported inside a run; a next step is added when it has none.
    pub fn run_failed(code: &str, message: &str) -> Self {
        let message = message.trim();
        let message = if message.to_ascii_lowercase().contains("again") {
            message.to_string()
        } else {
            format!("{message} {RUN_FAILED_NEXT_STEP}")
        };
        Self::RunFailed {
            code: code.into(),
            message,
        }
    }

    pub(crate) fn protocol(detail: impl std::fmt::Display) -> Self {
        Self::Protocol {
            detail: detail.to_string(),
        }
    }
}

const ACCEPTED: &str = "Accepted: mp4, mov, avi, webm, mkv video, or mp3, wav, m4a, aac audio.";
const TRIM: &str = "Trim or compress it first.";

/// 4003 of this project's server: a by-URL upload it would not or could not fetch.
pub const URL_REFUSED: i64 = 4003;
const URL_REFUSED_STEP: &str = "Download the file and upload it instead.";

/// `what`, followed by `step` unless it already says it.
fn with_step(what: &str, step: &str) -> String {
    if what.contains(step) {
        what.into()
    } else {
        format!("{what} {step}")
    }
}

/// Whether a server message reads as sentences for a person rather than a bare status.
fn is_sentence(message: &str) -> bool {
    message.len() >= 20 && message.contains(' ') && message.ends_with(['.', '!', '。'])
}

/// The last sentence of a message (its next step, in this project's server's style).
pub(super) fn last_sentence(message: &str) -> &str {
    let body = message.trim_end_matches(['.', '!', '。']);
    match body.rfind(". ") {
        Some(at) => message[at + 2..].trim(),
        None => message,
    }
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() {
        "no details"
    } else {
        s
    }
}

fn non_empty_or(s: &str, fallback: &str) -> String {
    if s.is_empty() {
        fallback.into()
    } else {
        s.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fallback steps are `&'static str` for the match above; they must still say exactly
    /// what the server and the pre-upload check say (`protocol::messages`).
    #[test]
    fn fallback_steps_match_the_shared_sentences() {
        assert_eq!(ACCEPTED, text::accepted(Lang::En));
        assert!(text::too_large(Lang::En, 500 * 1_048_576).ends_with(TRIM));
    }
}
