//! Bearer tokens (random 256 bits, stored as SHA-256 hex only), the authenticated caller
//! extractor, and the per-token rate limit.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use rand::RngCore;
use sha2::{Digest, Sha256};
use v2a_protocol::headers;

use crate::db;
use crate::error::ApiError;
use crate::state::AppState;

/// A new random token (64 hex characters).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What is stored for a token.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_id: i64,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or(ApiError::TokenInvalid)?;
        let hash = hash_token(token);
        let row = state
            .db
            .call(move |c| db::find_token(c, &hash, db::now()))
            .await?
            .ok_or(ApiError::TokenInvalid)?;
        state.limiter.check(BucketKey::Token(row.id))?;
        Ok(Self { token_id: row.id })
    }
}

/// The token of an `Authorization: Bearer` header.
pub fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Middleware: every request is logged with its attribution headers (accepted, never
/// required).
pub async fn log_attribution(request: Request, next: Next) -> Response {
    // Read the headers in a block: a reference to the request (whose body is not Sync) must not
    // live across the await below.
    {
        let get = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-")
                .to_owned()
        };
        tracing::info!(
            method = %request.method(),
            path = %request.uri().path(),
            skill_source = %get(headers::SKILL_SOURCE),
            skill_version = %get(headers::SKILL_VERSION),
            skill_platform = %get(headers::SKILL_PLATFORM),
            "request"
        );
    }
    next.run(request).await
}

/// The client's address, when the server runs with connect info (the binary, and the socket
/// tests); `None` when the router is driven without a socket.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let info = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(Self(info.map(|c| c.0.ip())))
    }
}

/// Whose bucket a request draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BucketKey {
    /// Authenticated requests: per token.
    Token(i64),
    /// Minting anonymous tokens: per client address, so credits cannot be minted without end.
    Address(std::net::IpAddr),
}

/// A token bucket per token: `burst` requests at once, refilled at `per_minute`.
#[derive(Clone)]
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Arc<Mutex<HashMap<BucketKey, (f64, Instant)>>>,
}

impl RateLimiter {
    /// How many buckets may pile up before the full ones are dropped.
    const EVICT_AT: usize = 4096;

    pub fn new(per_minute: u32, burst: u32) -> Self {
        Self {
            per_second: f64::from(per_minute.max(1)) / 60.0,
            burst: f64::from(burst.max(1)),
            buckets: Arc::default(),
        }
    }

    /// Take one token from the bucket of `key`, or say how many seconds until the next one.
    pub fn check(&self, key: BucketKey) -> Result<(), ApiError> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= Self::EVICT_AT {
            // A bucket that has refilled is the same as no bucket: forgetting it changes nothing
            // for its owner, and keeps one bucket per token ever seen from growing without end.
            let (per_second, burst) = (self.per_second, self.burst);
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * per_second < burst
            });
        }
        let (tokens, at) = buckets.entry(key).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            let wait = ((1.0 - *tokens) / self.per_second).ceil().max(1.0);
            Err(ApiError::RateLimited(wait as u64))
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.buckets.lock().map(|b| b.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refilled_buckets_are_forgotten_and_drained_ones_kept() {
        let limiter = RateLimiter::new(60, 2);
        for id in 0..(RateLimiter::EVICT_AT as i64 - 1) {
            limiter
                .check(BucketKey::Token(id))
                .expect("a fresh bucket has room");
        }
        // One token a second: after this every bucket above is full again.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let busy = BucketKey::Token(-1);
        limiter.check(busy).expect("first of the burst");
        limiter.check(busy).expect("second of the burst");
        assert_eq!(limiter.len(), 1, "only the bucket still in use is kept");
        assert!(
            matches!(limiter.check(busy), Err(ApiError::RateLimited(_))),
            "forgetting the others did not refill the busy one"
        );
    }
}
