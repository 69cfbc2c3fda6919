//! SQLite in the data dir, behind one connection guarded by a mutex and used from
//! `spawn_blocking`, so slow disks never stall the async workers. WAL mode keeps reads cheap.

mod media;
mod outputs;
mod tokens;

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

pub use media::*;
pub use outputs::*;
pub use tokens::*;

/// Failures of the database layer (always internal from the client's point of view).
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database task failed: {0}")]
    Task(String),
}

/// The migrations, in order; `schema_version` records how many have run.
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE tokens (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    client_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    credits_available INTEGER NOT NULL,
    credits_frozen INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    token_id INTEGER NOT NULL REFERENCES tokens(id),
    task_name TEXT NOT NULL,
    language TEXT,
    created_at INTEGER NOT NULL
);
CREATE TABLE media (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    token_id INTEGER NOT NULL REFERENCES tokens(id),
    name TEXT NOT NULL,
    container TEXT NOT NULL,
    duration REAL NOT NULL,
    size INTEGER NOT NULL,
    audio_streams TEXT NOT NULL,
    has_video INTEGER NOT NULL,
    path TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE outputs (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    token_id INTEGER NOT NULL REFERENCES tokens(id),
    source_media_id TEXT NOT NULL,
    spec TEXT NOT NULL,
    summary TEXT NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    codec TEXT,
    duration REAL,
    size INTEGER,
    path TEXT,
    status TEXT NOT NULL,
    error TEXT,
    credit TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE TABLE renders (
    seq INTEGER PRIMARY KEY,
    token_id INTEGER NOT NULL REFERENCES tokens(id),
    session_id TEXT NOT NULL REFERENCES sessions(id),
    render_id TEXT NOT NULL,
    output_id TEXT NOT NULL REFERENCES outputs(id),
    created_at INTEGER NOT NULL,
    UNIQUE (token_id, render_id)
);
CREATE INDEX media_session ON media(session_id);
CREATE INDEX outputs_session ON outputs(session_id);
CREATE INDEX outputs_status ON outputs(status);
"#];

/// A cloneable handle on the database.
#[derive(Clone)]
pub struct Db(Arc<Mutex<Connection>>);

impl Db {
    /// Open (or create) `<dir>/video-to-audio.sqlite3` and bring its schema up to date.
    pub fn open(dir: &Path) -> Result<Self, DbError> {
        let mut conn = Connection::open(dir.join("video-to-audio.sqlite3"))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(Self(Arc::new(Mutex::new(conn))))
    }

    /// Run `f` with the connection on a blocking thread; the lock is held only for `f`.
    pub async fn call<R, F>(&self, f: F) -> Result<R, DbError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<R> + Send + 'static,
    {
        let conn = self.0.clone();
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock poisons it; the connection itself is still sound.
            let mut guard = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(|e| DbError::Task(e.to_string()))?
        .map_err(DbError::from)
    }
}

fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")?;
    let done: usize = conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_version",
        [],
        |r| r.get(0),
    )?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES (?1)",
            [i as i64 + 1],
        )?;
        tx.commit()?;
    }
    Ok(())
}

/// Unix seconds now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
