//! `video-to-audio-server`: parse flags, check ffmpeg, bind, print `listening on http://<addr>`
//! (scripts wait for that line), serve until Ctrl-C or SIGTERM.

use std::time::Duration;

use clap::Parser;
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;
use video_to_audio_server::{app, sweep, AppState, Config};

/// How long open responses get to finish after Ctrl-C or SIGTERM.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = Config::parse();
    let listen = config.listen;
    let state = match AppState::init(config).await {
        Ok(state) => state,
        Err(e) => {
            eprintln!("video-to-audio-server: {e}");
            std::process::exit(1);
        }
    };
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("video-to-audio-server: cannot listen on {listen}: {e}");
            std::process::exit(1);
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("video-to-audio-server: cannot read the bound address: {e}");
            std::process::exit(1);
        }
    };
    tracing::info!(%addr, ffmpeg = %state.ffmpeg_version, data_dir = %state.config.data_dir.display(), "ready");
    println!("listening on http://{addr}");
    sweep::spawn_periodic(state.clone());
    let jobs = state.jobs.clone();
    let stopping = CancellationToken::new();
    let server = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown({
        let stopping = stopping.clone();
        async move {
            stop_signal().await;
            jobs.stop_all();
            stopping.cancel();
        }
    });
    // Graceful shutdown waits for every open response. Job streams end at once (the jobs are
    // stopped and say so), but a slow download could hold on: past the grace period it is cut.
    let served = tokio::select! {
        served = server => served,
        () = async {
            stopping.cancelled().await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => Ok(()),
    };
    if let Err(e) = served {
        eprintln!("video-to-audio-server: server stopped: {e}");
        std::process::exit(1);
    }
    // The interrupted jobs' rows stay queued/running, so the next start marks them failed with
    // `text::restarted` and returns their credits.
    tracing::info!("stopped");
}

/// Ctrl-C or SIGTERM. If a handler cannot be installed, that signal simply keeps its default
/// action rather than stopping the server at once.
async fn stop_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C: stopping"),
        () = terminate => tracing::info!("SIGTERM: stopping"),
    }
}
