//! Command-line flags, each also settable by an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// The server's configuration (`video-to-audio-server --help`).
/// A megabyte: the decimal SI unit of `v2a_protocol::units::size`.
const MB: u64 = 1_000_000;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "video-to-audio-server",
    version,
    about = "Video to Audio backend: extracts audio with ffmpeg behind the hosted API"
)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port (the real one is printed).
    #[arg(long, env = "V2A_LISTEN", default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,
    /// Directory for the SQLite database, uploads and outputs (created if missing).
    #[arg(long, env = "V2A_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// Largest accepted upload, in MB (decimal: 1 MB = 1,000,000 bytes, as every size shown).
    #[arg(long, env = "V2A_MAX_UPLOAD_MB", default_value_t = v2a_protocol::DEFAULT_MAX_UPLOAD_BYTES / MB)]
    pub max_upload_mb: u64,
    /// Credits granted to a new anonymous token.
    #[arg(long, env = "V2A_CREDITS", default_value_t = 100)]
    pub credits: i64,
    /// Extractions running at once (default: number of cores).
    #[arg(long, env = "V2A_JOBS")]
    pub jobs: Option<usize>,
    /// Hours a finished file or upload is kept before the sweep removes it.
    #[arg(long, env = "V2A_RETENTION_HOURS", default_value_t = 24)]
    pub retention_hours: u64,
    /// Let by-URL uploads fetch private, loopback and link-local addresses.
    #[arg(long, env = "V2A_ALLOW_PRIVATE_URLS")]
    pub allow_private_urls: bool,
    /// ffmpeg executable.
    #[arg(long, env = "V2A_FFMPEG", default_value = "ffmpeg")]
    pub ffmpeg: PathBuf,
    /// ffprobe executable.
    #[arg(long, env = "V2A_FFPROBE", default_value = "ffprobe")]
    pub ffprobe: PathBuf,
    /// Extra CORS origin (exact, or `*`); repeatable. Extension origins are always allowed.
    #[arg(long = "allow-origin", env = "V2A_ALLOW_ORIGIN", value_delimiter = ',')]
    pub allow_origins: Vec<String>,
    /// Requests per minute each token may make (token bucket refill rate).
    #[arg(long, env = "V2A_RATE_LIMIT_PER_MINUTE", default_value_t = 600)]
    pub rate_limit_per_minute: u32,
    /// Requests a token may make in a burst.
    #[arg(long, env = "V2A_RATE_LIMIT_BURST", default_value_t = 120)]
    pub rate_limit_burst: u32,
    /// Seconds between SSE keep-alive comments (hidden: tests shorten it).
    #[arg(
        long,
        env = "V2A_SSE_KEEPALIVE_SECS",
        default_value_t = 10,
        hide = true
    )]
    pub sse_keepalive_secs: u64,
    /// Lifetime of an anonymous token, in hours.
    #[arg(long, env = "V2A_TOKEN_TTL_HOURS", default_value_t = 168)]
    pub token_ttl_hours: u64,
}

impl Config {
    /// The upload limit in bytes.
    pub fn max_upload_bytes(&self) -> u64 {
        self.max_upload_mb.saturating_mul(MB)
    }
    /// Parallel extractions, at least one.
    pub fn job_slots(&self) -> usize {
        self.jobs
            .unwrap_or_else(|| {
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2)
            })
            .max(1)
    }
    /// Retention in seconds.
    pub fn retention_secs(&self) -> i64 {
        (self.retention_hours * 3600) as i64
    }
}
