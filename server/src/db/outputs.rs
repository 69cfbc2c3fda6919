//! Outputs (one per extraction job) and renders (exports pointing at an output).

use rusqlite::{params, Connection, OptionalExtension, Row};
use v2a_protocol::{text, JobStatus, Lang};

/// An output as stored.
#[derive(Debug, Clone)]
pub struct OutputRow {
    pub id: String,
    pub session_id: String,
    pub token_id: i64,
    pub source_media_id: String,
    /// The ExtractionSpec, as JSON.
    pub spec: String,
    pub summary: String,
    /// Download file name (sanitized).
    pub name: String,
    /// Extension of the output (expected while running, actual once done).
    pub format: String,
    pub codec: Option<String>,
    pub duration: Option<f64>,
    pub size: Option<u64>,
    pub path: Option<String>,
    pub status: JobStatus,
    pub error: Option<String>,
    /// "frozen" while a credit is held, then "charged" or "returned".
    pub credit: String,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

const COLUMNS: &str = "id, session_id, token_id, source_media_id, spec, summary, name, format, codec, duration, size, path, status, error, credit, created_at, finished_at";

pub fn status_str(s: JobStatus) -> &'static str {
    match s {
        JobStatus::Queued => "queued",
        JobStatus::Running => "running",
        JobStatus::Done => "done",
        JobStatus::Failed => "failed",
        JobStatus::Expired => "expired",
    }
}

fn parse_status(s: &str) -> JobStatus {
    match s {
        "queued" => JobStatus::Queued,
        "running" => JobStatus::Running,
        "done" => JobStatus::Done,
        "expired" => JobStatus::Expired,
        _ => JobStatus::Failed,
    }
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<OutputRow> {
    let status: String = r.get(12)?;
    Ok(OutputRow {
        id: r.get(0)?,
        session_id: r.get(1)?,
        token_id: r.get(2)?,
        source_media_id: r.get(3)?,
        spec: r.get(4)?,
        summary: r.get(5)?,
        name: r.get(6)?,
        format: r.get(7)?,
        codec: r.get(8)?,
        duration: r.get(9)?,
        size: r.get::<_, Option<i64>>(10)?.map(|s| s as u64),
        path: r.get(11)?,
        status: parse_status(&status),
        error: r.get(13)?,
        credit: r.get(14)?,
        created_at: r.get(15)?,
        finished_at: r.get(16)?,
    })
}

pub fn insert_output(conn: &Connection, o: &OutputRow) -> rusqlite::Result<()> {
    conn.execute(
        &format!("INSERT INTO outputs ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"),
        params![
            o.id, o.session_id, o.token_id, o.source_media_id, o.spec, o.summary, o.name, o.format,
            o.codec, o.duration, o.size.map(|s| s as i64), o.path, status_str(o.status), o.error,
            o.credit, o.created_at, o.finished_at
        ],
    )?;
    Ok(())
}

pub fn find_output(conn: &Connection, id: &str) -> rusqlite::Result<Option<OutputRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM outputs WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
}

/// Outputs of a session, oldest first.
pub fn list_outputs(conn: &Connection, session_id: &str) -> rusqlite::Result<Vec<OutputRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM outputs WHERE session_id = ?1 ORDER BY seq"
    ))?;
    let rows = stmt.query_map([session_id], from_row)?;
    rows.collect()
}

pub fn set_running(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE outputs SET status = 'running' WHERE id = ?1 AND status = 'queued'",
        [id],
    )?;
    Ok(())
}

/// What a finished extraction wrote.
#[derive(Debug, Clone)]
pub struct Finished {
    pub name: String,
    pub format: String,
    pub codec: String,
    pub duration: f64,
    pub size: u64,
    pub path: String,
}

/// Mark done and charge the held credit, in one transaction.
pub fn finish_done(
    conn: &mut Connection,
    id: &str,
    f: &Finished,
    now: i64,
) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    let token_id: i64 = tx.query_row("SELECT token_id FROM outputs WHERE id = ?1", [id], |r| {
        r.get(0)
    })?;
    tx.execute(
        "UPDATE outputs SET status = 'done', name = ?2, format = ?3, codec = ?4, duration = ?5, size = ?6,
         path = ?7, credit = 'charged', finished_at = ?8 WHERE id = ?1",
        params![id, f.name, f.format, f.codec, f.duration, f.size as i64, f.path, now],
    )?;
    super::settle_credit(&tx, token_id, true)?;
    tx.commit()
}

/// Mark failed and return the held credit, in one transaction.
pub fn finish_failed(
    conn: &mut Connection,
    id: &str,
    error: &str,
    now: i64,
) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    let (token_id, credit): (i64, String) = tx.query_row(
        "SELECT token_id, credit FROM outputs WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    tx.execute(
        "UPDATE outputs SET status = 'failed', error = ?2, credit = CASE credit WHEN 'frozen' THEN 'returned' ELSE credit END,
         finished_at = ?3 WHERE id = ?1",
        params![id, error, now],
    )?;
    if credit == "frozen" {
        super::settle_credit(&tx, token_id, false)?;
    }
    tx.commit()
}

/// After a restart: every output left queued or running failed with `text::restarted` and
/// its credit is returned. Returns their ids (their partial files are to be removed).
pub fn recover_interrupted(conn: &mut Connection, now: i64) -> rusqlite::Result<Vec<String>> {
    // Each job's sentence in its session's language: the person reads it after the restart.
    let jobs: Vec<(String, Option<String>)> = {
        let mut stmt = conn.prepare(
            "SELECT o.id, s.language FROM outputs o LEFT JOIN sessions s ON s.id = o.session_id \
             WHERE o.status IN ('queued', 'running')",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (id, language) in &jobs {
        let lang = language
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or(Lang::En);
        finish_failed(conn, id, &text::restarted(lang), now)?;
    }
    Ok(jobs.into_iter().map(|(id, _)| id).collect())
}

/// Done outputs finished before `cutoff`: the sweep removes their files.
pub fn outputs_older_than(conn: &Connection, cutoff: i64) -> rusqlite::Result<Vec<OutputRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM outputs WHERE status = 'done' AND COALESCE(finished_at, created_at) < ?1"
    ))?;
    let rows = stmt.query_map([cutoff], from_row)?;
    rows.collect()
}

pub fn mark_output_expired(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.execute("UPDATE outputs SET status = 'expired' WHERE id = ?1", [id])?;
    Ok(())
}

/// Record an export; returns the output it points at (an existing render id of the same
/// token keeps its first output, so retries are idempotent).
pub fn upsert_render(
    conn: &Connection,
    token_id: i64,
    session_id: &str,
    render_id: &str,
    output_id: &str,
    now: i64,
) -> rusqlite::Result<String> {
    conn.execute(
        "INSERT OR IGNORE INTO renders (token_id, session_id, render_id, output_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_id, session_id, render_id, output_id, now],
    )?;
    conn.query_row(
        "SELECT output_id FROM renders WHERE token_id = ?1 AND render_id = ?2",
        params![token_id, render_id],
        |r| r.get(0),
    )
}

/// The output a render of this token points at.
pub fn find_render(
    conn: &Connection,
    token_id: i64,
    render_id: &str,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT output_id FROM renders WHERE token_id = ?1 AND render_id = ?2",
        params![token_id, render_id],
        |r| r.get(0),
    )
    .optional()
}
