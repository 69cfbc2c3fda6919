//! The client object: request building, answer classification and the recovery rules
//! (1001 → new token, 1002 → new session, 429 → wait, each retried once).

use std::cell::{Cell, RefCell};
use std::future::Future;

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{ClientError, Config, HttpRequest, HttpResponse, Method, Transport, TransportError};
use crate::protocol::{
    headers, paths, AnonymousToken, ApiCode, Envelope, JobStatus, NewSessionRequest,
    SessionCreated, SKILL_SOURCE,
};

/// The API client, generic over the platform's [`Transport`].
///
/// Methods take `&self`: the browser binding shares one client between concurrent calls (an
/// upload and `abort`, say), so the token and session live in cells, never borrowed across an
/// `await`.
pub struct Client<T: Transport> {
    pub(super) config: Config,
    pub(super) transport: T,
    token: RefCell<Option<String>>,
    session: RefCell<Option<String>>,
    /// Status of every generated file seen so far, to tell what a silent run changed. `None`
    /// until the session's state was seen once.
    pub(super) known_media: RefCell<Option<KnownMedia>>,
    /// The draft's fingerprint ([`super::timeline::fingerprint`]) when the state was last read.
    pub(super) known_draft: RefCell<Option<Vec<String>>>,
    /// Bumped by [`Client::abort`]; an operation that sees it change stops with `Aborted`.
    abort_generation: Cell<u64>,
    /// Makes ids made in the same millisecond (render ids) distinct.
    serial: Cell<u64>,
    /// See [`super::reupload`].
    pub(super) last_upload: RefCell<Option<super::reupload::LastUpload<T::File>>>,
}

/// What a request needs before it can be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Needs {
    Nothing,
    Token,
    Session,
}

/// One attempt, boxed (see [`Client::recover`]).
pub(super) type AttemptFuture<'a, D> =
    std::pin::Pin<Box<dyn Future<Output = Result<Attempt<D>, ClientError>> + 'a>>;

/// What the recovery rule says to do about an API code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Recovery {
    NewToken,
    NewSession,
    Wait(u64),
    GiveUp,
}

/// What one call has already tried: each recovery is made once.
#[derive(Debug, Default)]
pub(super) struct Tried {
    new_token: bool,
    new_session: bool,
    waited: bool,
}

impl Tried {
    /// The recovery rule, written once: [`ApiCode::TokenInvalid`] → a new anonymous token, where
    /// the call may renew it (`token_renewable`: never the person's own token from the options,
    /// which is never swapped); [`ApiCode::SessionNotFound`] → a new session, where the call
    /// works in one (`session_renewable`); [`ApiCode::RateLimited`] → wait `Retry-After` when
    /// it is not too long. Each at most once a call; anything else is the caller's error.
    pub(super) fn next(
        &mut self,
        code: ApiCode,
        retry_after_secs: u64,
        token_renewable: bool,
        session_renewable: bool,
    ) -> Recovery {
        match code {
            ApiCode::TokenInvalid if token_renewable && !self.new_token => {
                self.new_token = true;
                Recovery::NewToken
            }
            ApiCode::SessionNotFound if session_renewable && !self.new_session => {
                self.new_session = true;
                Recovery::NewSession
            }
            ApiCode::RateLimited
                if !self.waited && retry_after_secs <= super::MAX_RETRY_WAIT_SECS =>
            {
                self.waited = true;
                Recovery::Wait(retry_after_secs)
            }
            _ => Recovery::GiveUp,
        }
    }
}

/// One attempt's result: done, or an API code the recovery rules may handle.
pub(super) enum Attempt<R> {
    Done(R),
    Code {
        code: i64,
        message: String,
        retry_after_secs: u64,
    },
}

impl<T: Transport> Client<T> {
    /// A client with `config`, over `transport`.
    pub fn new(config: Config, transport: T) -> Self {
        let token = RefCell::new(
            config
                .token
                .clone()
                .or_else(|| config.anonymous_token.clone())
                .filter(|t| !t.is_empty()),
        );
        let session = RefCell::new(config.session_id.clone().filter(|s| !s.is_empty()));
        Self {
            config,
            transport,
            token,
            session,
            known_media: RefCell::new(None),
            known_draft: RefCell::new(None),
            abort_generation: Cell::new(0),
            serial: Cell::new(0),
            last_upload: RefCell::new(None),
        }
    }

    /// The configuration it was built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The transport (tests inspect their fake through it).
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The token in use (the caller persists it), if one was configured or acquired.
    pub fn token(&self) -> Option<String> {
        self.token.borrow().clone()
    }

    /// Whether the token in use is the person's own ([`Config::token`]), not an anonymous one.
    pub fn has_fixed_token(&self) -> bool {
        self.config.token.as_deref().is_some_and(|t| !t.is_empty())
    }

    /// The session in use (the caller persists it), if any.
    pub fn session_id(&self) -> Option<String> {
        self.session.borrow().clone()
    }

    /// Cancel what is in flight (requests, stream reads, retry waits).
    pub fn abort(&self) {
        self.abort_generation
            .set(self.abort_generation.get().wrapping_add(1));
        self.transport.abort();
    }

    /// The session id, acquiring a token and creating a session first when needed.
    pub async fn ensure_session(&self) -> Result<String, ClientError> {
        // Every public operation ends like this: errors built where the session's language
        // was not at hand are said in it here.
        let work = async {
            let generation = self.abort_generation.get();
            self.ensure(Needs::Session, generation).await?;
            self.session_id()
                .ok_or_else(|| ClientError::protocol("no session after creating one"))
        };
        work.await.map_err(|e: ClientError| e.in_lang(self.lang()))
    }

    pub(super) fn next_serial(&self) -> u64 {
        self.serial.set(self.serial.get() + 1);
        self.serial.get()
    }

    pub(super) fn generation(&self) -> u64 {
        self.abort_generation.get()
    }

    pub(super) fn check_abort(&self, generation: u64) -> Result<(), ClientError> {
        if self.abort_generation.get() == generation {
            Ok(())
        } else {
            Err(ClientError::Aborted { lang: self.lang() })
        }
    }

    /// A request with every header the API wants.
    pub(super) fn request(&self, method: Method, path: &str, body: Option<String>) -> HttpRequest {
        let mut headers = vec![
            (
                headers::CLIENT_ID.to_string(),
                self.config.client_id.clone(),
            ),
            (headers::SKILL_SOURCE.to_string(), SKILL_SOURCE.to_string()),
            (
                headers::SKILL_VERSION.to_string(),
                self.config
                    .version
                    .clone()
                    .filter(|v| !v.trim().is_empty())
                    .unwrap_or_else(|| crate::VERSION.to_string()),
            ),
            (
                headers::SKILL_PLATFORM.to_string(),
                super::SKILL_PLATFORMS
                    .iter()
                    .find(|p| **p == self.config.platform)
                    .unwrap_or(&"unknown")
                    .to_string(),
            ),
        ];
        if let Some(token) = self.token.borrow().as_deref() {
            headers.push(("authorization".into(), format!("Bearer {token}")));
        }
        // The person's language, for errors a server says before it knows the session (a
        // standard header: the browser's own may name another language than the one chosen).
        if let Some(language) = self.config.language.as_deref().filter(|l| !l.is_empty()) {
            headers.push(("accept-language".into(), language.to_owned()));
        }
        if body.is_some() {
            headers.push(("content-type".into(), "application/json".into()));
        }
        HttpRequest {
            method,
            url: super::join_url(&self.config.base_url, path),
            path: path.to_string(),
            headers,
            body,
        }
    }

    /// Sends the request [`Self::request`] builds; a transport failure as the person's error.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> Result<HttpResponse, ClientError> {
        let request = self.request(method, path, body);
        let sent = self.transport.send(request).await;
        sent.map_err(|e| self.network_error(e))
    }

    pub(super) fn network_error(&self, error: TransportError) -> ClientError {
        match error {
            TransportError::Aborted => ClientError::Aborted { lang: self.lang() },
            TransportError::Network(detail) => ClientError::Network {
                url: self.config.base_url.clone(),
                detail,
                lang: self.lang(),
            },
        }
    }

    /// Run `attempt` under the recovery rules. The closure is called again for each retry, so
    /// it must read the token and session afresh (through [`Client::request`]).
    ///
    /// Type-erased on purpose: one copy of this loop (per payload type) instead of one per
    /// call site keeps the wasm small.
    pub(super) async fn recover<'a, D>(
        &'a self,
        needs: Needs,
        generation: u64,
        attempt: &mut (dyn FnMut() -> AttemptFuture<'a, D> + 'a),
    ) -> Result<D, ClientError> {
        let mut tried = Tried::default();
        let token_renewable = needs != Needs::Nothing && !self.has_fixed_token();
        self.ensure(needs, generation).await?;
        loop {
            self.check_abort(generation)?;
            let (code, message, retry_after_secs) = match attempt().await? {
                Attempt::Done(value) => return Ok(value),
                Attempt::Code {
                    code,
                    message,
                    retry_after_secs,
                } => (code, message, retry_after_secs),
            };
            let api_code = ApiCode::from_code(code);
            match tried.next(
                api_code,
                retry_after_secs,
                token_renewable,
                needs == Needs::Session,
            ) {
                Recovery::NewToken => {
                    self.token.replace(None);
                    self.acquire_token(generation).await?;
                }
                Recovery::NewSession => self.create_session(generation).await?,
                Recovery::Wait(secs) => self.wait(secs, generation).await?,
                Recovery::GiveUp => return Err(self.unrecovered(code, &message)),
            }
        }
    }

    /// Send a JSON request under the recovery rules: the envelope's `data` as a JSON value (read by `tolerant`) and the
    /// answer's `Retry-After` in ms, if it had one (a poll pace the service asks for).
    pub(super) async fn call_value(
        &self,
        needs: Needs,
        method: Method,
        path: impl Fn(&str) -> String,
        body: Option<String>,
    ) -> Result<(Value, Option<u64>), ClientError> {
        let (body, hint) = self.call_raw(needs, method, &path, body).await?;
        Ok((envelope_data(&body)?, hint))
    }

    /// [`Client::call_value`] up to the successful body.
    async fn call_raw(
        &self,
        needs: Needs,
        method: Method,
        path: &dyn Fn(&str) -> String,
        body: Option<String>,
    ) -> Result<(String, Option<u64>), ClientError> {
        let generation = self.generation();
        let body = &body;
        self.recover(needs, generation, &mut move || {
            Box::pin(async move {
                let session = self.session_id().unwrap_or_default();
                let response = self.send(method, &path(&session), body.clone()).await?;
                let hint = response
                    .header("retry-after")
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(|s| s.saturating_mul(1000));
                Ok(match classify(&response)? {
                    Attempt::Done(body) => Attempt::Done((body, hint)),
                    Attempt::Code {
                        code,
                        message,
                        retry_after_secs,
                    } => Attempt::Code {
                        code,
                        message,
                        retry_after_secs,
                    },
                })
            })
        })
        .await
    }

    async fn ensure(&self, needs: Needs, generation: u64) -> Result<(), ClientError> {
        if needs != Needs::Nothing && self.token.borrow().is_none() {
            self.acquire_token(generation).await?;
        }
        if needs == Needs::Session && self.session.borrow().is_none() {
            self.create_session(generation).await?;
        }
        Ok(())
    }

    /// `POST /api/auth/anonymous-token`, waiting once on 429.
    async fn acquire_token(&self, generation: u64) -> Result<(), ClientError> {
        let mut tried = Tried::default();
        loop {
            self.check_abort(generation)?;
            let response = self
                .send(Method::Post, paths::ANONYMOUS_TOKEN, Some("{}".into()))
                .await?;
            match classify(&response)? {
                Attempt::Done(body) => {
                    let token: AnonymousToken = parse_data(&body)?;
                    // The session is kept: if it belonged to the old token, the next request
                    // says 1002 and a new one is created then.
                    self.token.replace(Some(token.token));
                    return Ok(());
                }
                Attempt::Code {
                    code,
                    message,
                    retry_after_secs,
                } => match tried.next(ApiCode::from_code(code), retry_after_secs, false, false) {
                    Recovery::Wait(secs) => self.wait(secs, generation).await?,
                    _ => return Err(self.unrecovered(code, &message)),
                },
            }
        }
    }

    /// `POST /api/tasks/me/with-session/nemo_agent`: a new token once on 1001, one wait on 429.
    async fn create_session(&self, generation: u64) -> Result<(), ClientError> {
        let mut tried = Tried::default();
        let token_renewable = !self.has_fixed_token();
        let body = serde_json::to_string(&NewSessionRequest {
            task_name: "project".into(),
            language: self.config.language.clone(),
        })
        .map_err(ClientError::protocol)?;
        loop {
            self.check_abort(generation)?;
            if self.token.borrow().is_none() {
                self.acquire_token(generation).await?;
            }
            let response = self
                .send(Method::Post, paths::NEW_SESSION, Some(body.clone()))
                .await?;
            match classify(&response)? {
                Attempt::Done(body) => {
                    let created: SessionCreated = parse_data(&body)?;
                    self.session.replace(Some(created.session_id));
                    // A brand-new session has produced nothing yet.
                    self.known_media.replace(Some(KnownMedia::default()));
                    self.known_draft.replace(Some(Vec::new()));
                    return Ok(());
                }
                Attempt::Code {
                    code,
                    message,
                    retry_after_secs,
                } => {
                    let api_code = ApiCode::from_code(code);
                    match tried.next(api_code, retry_after_secs, token_renewable, false) {
                        Recovery::NewToken => self.acquire_token(generation).await?,
                        Recovery::Wait(secs) => self.wait(secs, generation).await?,
                        _ => return Err(self.unrecovered(code, &message)),
                    }
                }
            }
        }
    }

    pub(super) async fn wait(&self, secs: u64, generation: u64) -> Result<(), ClientError> {
        self.check_abort(generation)?;
        self.transport.sleep(secs.saturating_mul(1000)).await;
        self.check_abort(generation)
    }
}

/// Status by generated file id. A session holds a handful of files, so a list searched in
/// order does; a hash map would add its own code to the wasm.
#[derive(Debug, Clone, Default)]
pub(super) struct KnownMedia(Vec<(String, JobStatus)>);

impl KnownMedia {
    pub(super) fn insert(&mut self, id: String, status: JobStatus) {
        match self.0.iter_mut().find(|(known, _)| *known == id) {
            Some((_, s)) => *s = status,
            None => self.0.push((id, status)),
        }
    }

    pub(super) fn get(&self, id: &str) -> Option<&JobStatus> {
        self.0.iter().find(|(known, _)| known == id).map(|(_, s)| s)
    }
}

/// Read an answer: a success (its body, for [`parse_data`]), an API code to handle, or a
/// protocol error.
pub(super) fn classify(response: &HttpResponse) -> Result<Attempt<String>, ClientError> {
    let retry_after_secs = response
        .header("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(super::DEFAULT_RETRY_AFTER_SECS);
    let ok_status = (200..300).contains(&response.status);
    match super::from_json::<Envelope<Value>>(&response.body) {
        Ok(head) if head.code == 0 && ok_status => Ok(Attempt::Done(response.body.clone())),
        Ok(head) if head.code != 0 => Ok(Attempt::Code {
            code: head.code,
            message: head.message,
            retry_after_secs,
        }),
        // Not an envelope: an HTTP error from something in front of the API, or a wrong URL.
        _ if !ok_status => Ok(Attempt::Code {
            code: code_for_status(response.status),
            message: snippet(&response.body),
            retry_after_secs,
        }),
        _ => Err(ClientError::protocol(format!(
            "expected a JSON envelope, got \u{201c}{}\u{201d}",
            snippet(&response.body)
        ))),
    }
}

/// The `data` of a successful envelope.
pub(super) fn parse_data<R: DeserializeOwned>(body: &str) -> Result<R, ClientError> {
    // The envelope is read once for every `R` (one decoder in the wasm), then its data.
    super::from_value(envelope_data(body)?).map_err(unexpected_data)
}

/// The `data` of a successful envelope, as a JSON value.
pub(super) fn envelope_data(body: &str) -> Result<Value, ClientError> {
    match super::from_json::<Envelope<Value>>(body) {
        Ok(Envelope {
            data: Some(data), ..
        }) => Ok(data),
        Ok(_) => Err(ClientError::protocol("the answer has no data")),
        Err(e) => Err(unexpected_data(e)),
    }
}

fn unexpected_data(e: serde_json::Error) -> ClientError {
    ClientError::protocol(format!("unexpected data: {e}"))
}

/// The API code a bare HTTP status stands for.
fn code_for_status(status: u16) -> i64 {
    match status {
        401 => ApiCode::TokenInvalid.code(),
        413 => ApiCode::TooLarge.code(),
        415 => ApiCode::UnsupportedType.code(),
        other => i64::from(other),
    }
}

/// The start of a body, for messages.
fn snippet(body: &str) -> String {
    let trimmed = body.trim();
    match trimmed.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &trimmed[..at]),
        None => trimmed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{Recovery, Tried};
    use crate::protocol::ApiCode;

    #[test]
    fn each_recovery_is_tried_once_and_the_persons_token_is_never_swapped() {
        use ApiCode::{OutOfCredits, RateLimited, SessionNotFound, TokenInvalid};
        use Recovery::{GiveUp, NewSession, NewToken, Wait};
        // (code, Retry-After, token renewable, session renewable, what to do), in one call.
        let anonymous = [
            (TokenInvalid, 0, true, true, NewToken),
            (TokenInvalid, 0, true, true, GiveUp),
            (SessionNotFound, 0, true, true, NewSession),
            (SessionNotFound, 0, true, true, GiveUp),
            (RateLimited, 5, true, true, Wait(5)),
            (RateLimited, 5, true, true, GiveUp),
        ];
        let own_token = [
            (TokenInvalid, 0, false, true, GiveUp),
            (SessionNotFound, 0, false, false, GiveUp),
            (RateLimited, 10_000, false, false, GiveUp),
            (OutOfCredits, 0, true, true, GiveUp),
        ];
        for calls in [&anonymous[..], &own_token[..]] {
            let mut tried = Tried::default();
            for &(code, after, token, session, want) in calls {
                assert_eq!(tried.next(code, after, token, session), want, "{code:?}");
            }
        }
    }
}
