//! The language an API error is said in: the session's once a handler has found the session,
//! before that the request's `Accept-Language` (read by [`Lang::from_accept_language`]), and
//! English when neither names a language the product speaks.

use std::cell::Cell;

use axum::extract::Request;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::middleware::Next;
use axum::response::Response;
use v2a_protocol::Lang;

tokio::task_local! {
    /// The language of the request being answered (task-local: one per request's future).
    static REPLY_LANG: Cell<Lang>;
}

/// The middleware: answers `request` with its `Accept-Language` as the errors' language.
pub async fn from_request(request: Request, next: Next) -> Response {
    let lang = request
        .headers()
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language)
        .unwrap_or(Lang::En);
    REPLY_LANG.scope(Cell::new(lang), next.run(request)).await
}

/// From here on, this request's errors are said in its session's `language` (a tag, as the
/// session was made with), when that is one the product speaks.
pub fn use_session(language: Option<&str>) {
    if let Some(lang) = language.and_then(Lang::from_tag) {
        // Outside a request (a unit test calling a handler) there is nothing to set.
        let _ = REPLY_LANG.try_with(|l| l.set(lang));
    }
}

/// The language of the request being answered; English outside one.
pub fn current() -> Lang {
    REPLY_LANG.try_with(Cell::get).unwrap_or(Lang::En)
}
