//! Tokens (stored as hashes only), sessions and the credits they hold.

use rusqlite::{params, Connection, OptionalExtension};

/// A valid token.
#[derive(Debug, Clone)]
pub struct TokenRow {
    pub id: i64,
    pub client_id: String,
}

/// Credits of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreditRow {
    pub available: i64,
    pub frozen: i64,
}

/// Store a new token hash; returns its row id.
pub fn insert_token(
    conn: &Connection,
    hash: &str,
    client_id: &str,
    now: i64,
    expires_at: i64,
    credits: i64,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO tokens (hash, client_id, created_at, expires_at, credits_available) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![hash, client_id, now, expires_at, credits],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The token with this hash, if it exists and has not expired.
pub fn find_token(conn: &Connection, hash: &str, now: i64) -> rusqlite::Result<Option<TokenRow>> {
    conn.query_row(
        "SELECT id, client_id FROM tokens WHERE hash = ?1 AND expires_at > ?2",
        params![hash, now],
        |r| {
            Ok(TokenRow {
                id: r.get(0)?,
                client_id: r.get(1)?,
            })
        },
    )
    .optional()
}

pub fn credits(conn: &Connection, token_id: i64) -> rusqlite::Result<CreditRow> {
    conn.query_row(
        "SELECT credits_available, credits_frozen FROM tokens WHERE id = ?1",
        [token_id],
        |r| {
            Ok(CreditRow {
                available: r.get(0)?,
                frozen: r.get(1)?,
            })
        },
    )
}

/// Move one credit from available to frozen; false when none is available.
pub fn freeze_credit(conn: &Connection, token_id: i64) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE tokens SET credits_available = credits_available - 1, credits_frozen = credits_frozen + 1
         WHERE id = ?1 AND credits_available >= 1",
        [token_id],
    )?;
    Ok(n == 1)
}

/// Settle a frozen credit: charge it (spent) or return it to available.
pub fn settle_credit(conn: &Connection, token_id: i64, charge: bool) -> rusqlite::Result<()> {
    let back = if charge { 0 } else { 1 };
    conn.execute(
        "UPDATE tokens SET credits_frozen = MAX(credits_frozen - 1, 0), credits_available = credits_available + ?2
         WHERE id = ?1",
        params![token_id, back],
    )?;
    Ok(())
}

/// A session of a token.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: String,
    pub language: Option<String>,
}

pub fn insert_session(
    conn: &Connection,
    id: &str,
    token_id: i64,
    task_name: &str,
    language: Option<&str>,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sessions (id, token_id, task_name, language, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, token_id, task_name, language, now],
    )?;
    Ok(())
}

/// The session, only if it belongs to `token_id`.
pub fn find_session(
    conn: &Connection,
    id: &str,
    token_id: i64,
) -> rusqlite::Result<Option<SessionRow>> {
    conn.query_row(
        "SELECT id, language FROM sessions WHERE id = ?1 AND token_id = ?2",
        params![id, token_id],
        |r| {
            Ok(SessionRow {
                id: r.get(0)?,
                language: r.get(1)?,
            })
        },
    )
    .optional()
}
