//! `video-to-audio-server`: parse flags, check ffmpeg, bind, print `listening on http://<addr>`
//! (scripts wait for that line), serve.

use clap::Parser;
use tracing_subscriber::EnvFilter;
use video_to_audio_server::{app, sweep, AppState, Config};

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
    if let Err(e) = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
    {
        eprintln!("video-to-audio-server: server stopped: {e}");
        std::process::exit(1);
    }
}
