//! Video to Audio backend: the hosted service's API served with axum, real extraction with
//! ffmpeg, state in SQLite. [`app`] builds the router (tests drive it without a socket);
//! `main.rs` parses flags, binds and serves.

pub mod auth;
pub mod config;
pub mod db;
pub mod error;
pub mod events;
pub mod fetch;
pub mod jobs;
pub mod limits;
pub mod media;
pub mod present;
pub mod replies;
pub mod reply_lang;
pub mod routes;
pub mod serve;
pub mod signing;
pub mod state;
pub mod sweep;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderName, Method, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;
use std::time::Duration;

use axum::middleware;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;
use v2a_protocol::text::{say, Key, Said};
use v2a_protocol::{headers, paths};

pub use config::Config;
pub use state::AppState;

use crate::error::ApiError;
use crate::limits::BodyLimit;
use crate::routes::{account, files, render, run, session_state, upload};

/// The whole API.
pub fn app(state: AppState) -> Router {
    let upload = BodyLimit::Upload {
        max_file: state.config.max_upload_bytes(),
    };
    let body_timeout = Duration::from_secs(state.config.body_timeout_secs);
    let uploads = Router::new()
        .route(&paths::upload("{sid}"), post(upload::upload))
        .layer(DefaultBodyLimit::max(
            usize::try_from(upload.bytes()).unwrap_or(usize::MAX),
        ))
        .layer(middleware::from_fn(move |r, n| {
            limits::refuse_declared_oversize(upload, r, n)
        }));
    Router::new()
        .route(paths::HEALTHZ, get(account::healthz))
        .route(paths::ANONYMOUS_TOKEN, post(account::anonymous_token))
        .route(paths::NEW_SESSION, post(account::new_session))
        .route(paths::CREDITS, get(account::credits))
        .route(paths::RUN_SSE, post(run::run_sse))
        .route(&paths::state("{sid}"), get(session_state::session_state))
        .route(paths::RENDER, post(render::start_render))
        .route(
            &paths::render_status("{render_id}"),
            get(render::render_status),
        )
        .route(
            &paths::file("{media_id}"),
            get(files::download).head(files::download),
        )
        .layer(DefaultBodyLimit::max(limits::JSON_BODY_LIMIT))
        .layer(middleware::from_fn(|r, n| {
            limits::refuse_declared_oversize(BodyLimit::Json, r, n)
        }))
        .merge(uploads)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(auth::log_attribution))
        .layer(cors(&state.config))
        .layer(RequestBodyTimeoutLayer::new(body_timeout))
        .layer(TraceLayer::new_for_http())
        .layer(middleware::from_fn(reply_lang::from_request))
        .with_state(state)
}

async fn not_found(request: Request) -> ApiError {
    let method = request.method().to_string();
    ApiError::NotFound(Said::new(
        Key::ApiNoEndpoint,
        &[("method", &method), ("path", request.uri().path())],
    ))
}

async fn method_not_allowed(request: Request) -> impl IntoResponse {
    let method = request.method().to_string();
    let args = [("method", method.as_str()), ("path", request.uri().path())];
    let message = say(reply_lang::current(), Key::ApiMethodNotAllowed, &args);
    let body = json!({ "code": 405, "message": message, "data": null });
    (StatusCode::METHOD_NOT_ALLOWED, axum::Json(body))
}

/// Extension origins (any id) plus the `--allow-origin` list (`*` allows any).
fn cors(config: &Config) -> CorsLayer {
    let extra = config.allow_origins.clone();
    let any = extra.iter().any(|o| o == "*");
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin, _| {
            let origin = origin.to_str().unwrap_or("");
            any || origin.starts_with("chrome-extension://")
                || origin.starts_with("moz-extension://")
                || extra.iter().any(|o| o == origin)
        }))
        .allow_methods([Method::GET, Method::POST, Method::HEAD, Method::OPTIONS])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::RANGE,
            HeaderName::from_static(headers::CLIENT_ID),
            HeaderName::from_static(headers::SKILL_SOURCE),
            HeaderName::from_static(headers::SKILL_VERSION),
            HeaderName::from_static(headers::SKILL_PLATFORM),
        ])
        .expose_headers([
            header::CONTENT_DISPOSITION,
            header::CONTENT_LENGTH,
            header::RETRY_AFTER,
            header::CONTENT_RANGE,
        ])
        .max_age(std::time::Duration::from_secs(3600))
}
