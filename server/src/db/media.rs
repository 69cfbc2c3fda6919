//! Uploads ("media").

use rusqlite::{params, Connection, OptionalExtension, Row};
use v2a_protocol::{AudioStream, MediaInfo};

/// An upload as stored.
#[derive(Debug, Clone)]
pub struct MediaRow {
    pub id: String,
    pub session_id: String,
    pub token_id: i64,
    pub name: String,
    pub container: String,
    pub duration: f64,
    pub size: u64,
    pub audio_streams: Vec<AudioStream>,
    pub has_video: bool,
    pub path: String,
    /// "ready" or "expired".
    pub status: String,
    pub created_at: i64,
}

impl MediaRow {
    /// The wire form.
    pub fn info(&self) -> MediaInfo {
        MediaInfo {
            media_id: self.id.clone(),
            name: self.name.clone(),
            container: self.container.clone(),
            duration: self.duration,
            size: self.size,
            audio_streams: self.audio_streams.clone(),
            no_audio: self.audio_streams.is_empty(),
            created_at: self.created_at,
        }
    }
}

const COLUMNS: &str =
    "id, session_id, token_id, name, container, duration, size, audio_streams, has_video, path, status, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<MediaRow> {
    let streams: String = r.get(7)?;
    Ok(MediaRow {
        id: r.get(0)?,
        session_id: r.get(1)?,
        token_id: r.get(2)?,
        name: r.get(3)?,
        container: r.get(4)?,
        duration: r.get(5)?,
        size: r.get::<_, i64>(6)? as u64,
        // Written by insert_media from the same type, so it always parses; an empty list is the
        // safe reading if the row was edited by hand.
        audio_streams: serde_json::from_str(&streams).unwrap_or_default(),
        has_video: r.get(8)?,
        path: r.get(9)?,
        status: r.get(10)?,
        created_at: r.get(11)?,
    })
}

pub fn insert_media(conn: &Connection, m: &MediaRow) -> rusqlite::Result<()> {
    let streams = serde_json::to_string(&m.audio_streams).expect("audio streams always serialize");
    conn.execute(
        &format!("INSERT INTO media ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
        params![
            m.id, m.session_id, m.token_id, m.name, m.container, m.duration, m.size as i64, streams,
            m.has_video, m.path, m.status, m.created_at
        ],
    )?;
    Ok(())
}

/// Uploads of a session in upload order.
pub fn list_media(conn: &Connection, session_id: &str) -> rusqlite::Result<Vec<MediaRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM media WHERE session_id = ?1 ORDER BY seq"
    ))?;
    let rows = stmt.query_map([session_id], from_row)?;
    rows.collect()
}

pub fn find_media(conn: &Connection, id: &str) -> rusqlite::Result<Option<MediaRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM media WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
}

/// Ready uploads created before `cutoff`: the sweep removes their files.
/// Uploads past the retention `cutoff`, except those a queued or running job still reads: they
/// go at the first sweep after their jobs end, so retention never fails a job midway.
pub fn media_older_than(conn: &Connection, cutoff: i64) -> rusqlite::Result<Vec<MediaRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM media WHERE status = 'ready' AND created_at < ?1
           AND NOT EXISTS (SELECT 1 FROM outputs
                           WHERE outputs.source_media_id = media.id
                             AND outputs.status IN ('queued', 'running'))"
    ))?;
    let rows = stmt.query_map([cutoff], from_row)?;
    rows.collect()
}

pub fn mark_media_expired(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE media SET status = 'expired' WHERE id = ?1", [id])?;
    Ok(())
}
