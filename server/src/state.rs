//! Everything a handler needs, built once at start.

use std::path::PathBuf;
use std::sync::Arc;

use crate::auth::RateLimiter;
use crate::config::Config;
use crate::db::{self, Db, DbError};
use crate::jobs::Jobs;
use crate::media::{MediaError, Tools};
use crate::signing::Signer;

/// Why the server could not start; each is one line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot use the data directory {0}: {1}")]
    DataDir(PathBuf, std::io::Error),
    #[error("cannot open the database: {0}")]
    Db(#[from] DbError),
    #[error(
        "ffmpeg/ffprobe are not runnable ({0}); install ffmpeg or pass --ffmpeg and --ffprobe"
    )]
    Tools(MediaError),
}

/// Shared state behind every handler (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub tools: Tools,
    /// First line of `ffmpeg -version`.
    pub ffmpeg_version: Arc<str>,
    pub signer: Signer,
    pub jobs: Jobs,
    pub limiter: RateLimiter,
    /// Held while a render id is looked up and, if new, bound to an output: two requests with
    /// the same id must not both start (and charge for) a conversion.
    pub renders: Arc<tokio::sync::Mutex<()>>,
}

/// Remove what interrupted jobs left in the outputs dir (files named after their ids).
fn remove_partial_outputs(dir: &std::path::Path, ids: &[String]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if ids.iter().any(|id| name.starts_with(id.as_str())) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl AppState {
    /// Create the data dir, open the database, check ffmpeg, and recover from a previous run:
    /// jobs left running are failed with `text::restarted` and their credits returned.
    pub async fn init(config: Config) -> Result<Self, StartError> {
        for dir in [
            config.data_dir.clone(),
            config.data_dir.join("media"),
            config.data_dir.join("outputs"),
            config.data_dir.join("tmp"),
        ] {
            std::fs::create_dir_all(&dir).map_err(|e| StartError::DataDir(dir.clone(), e))?;
        }
        // Partial uploads of a previous run are garbage now.
        if let Ok(entries) = std::fs::read_dir(config.data_dir.join("tmp")) {
            for entry in entries.flatten() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let tools = Tools {
            ffmpeg: config.ffmpeg.clone(),
            ffprobe: config.ffprobe.clone(),
        };
        let ffmpeg_version = tools.check().await.map_err(StartError::Tools)?;
        let signer = Signer::load_or_create(&config.data_dir)
            .map_err(|e| StartError::DataDir(config.data_dir.clone(), e))?;
        let db = Db::open(&config.data_dir)?;
        let recovered = db.call(|c| db::recover_interrupted(c, db::now())).await?;
        if !recovered.is_empty() {
            tracing::warn!(
                recovered = recovered.len(),
                "jobs interrupted by a restart were marked failed and their credits returned"
            );
            remove_partial_outputs(&config.data_dir.join("outputs"), &recovered);
        }
        let limiter = RateLimiter::new(config.rate_limit_per_minute, config.rate_limit_burst);
        let jobs = Jobs::new(config.job_slots());
        Ok(Self {
            config: Arc::new(config),
            db,
            tools,
            ffmpeg_version: ffmpeg_version.into(),
            signer,
            jobs,
            limiter,
            renders: Arc::default(),
        })
    }

    pub fn media_dir(&self) -> PathBuf {
        self.config.data_dir.join("media")
    }
    pub fn outputs_dir(&self) -> PathBuf {
        self.config.data_dir.join("outputs")
    }
    pub fn tmp_dir(&self) -> PathBuf {
        self.config.data_dir.join("tmp")
    }
}
