//! Sign-in throttling: every attempt is a row, counted per account and per address over a
//! window, so the limit holds across restarts and across server replicas.
//!
//! Checking and recording an attempt happen in one write transaction holding a lock on the
//! account, so simultaneous guesses cannot all slip under the limit; a refused attempt is not
//! recorded (the window ends 15 minutes after the last checked guess), and a successful
//! sign-in clears the account's rows.

use crate::db::{now_ms, Db, StoreResult};
use fieldwork_app::common::UserId;

pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// Records an attempt, or answers `true` (blocked) when the account or the address has used
/// up its attempts.
pub async fn record_attempt(db: &Db, email: &str, ip: &str, max_failures: i64) -> StoreResult<bool> {
    let since = now_ms() - WINDOW_MS;
    let mut tx = db.begin_write().await?;
    tx.lock_key(&format!("login:{email}")).await?;
    let by_email: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE email = $1 AND at > $2")
        .bind(email)
        .bind(since)
        .fetch_one(tx.conn())
        .await?;
    // An address may try a few accounts (a shared office connection) but not spray many.
    let by_ip: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at > $2")
        .bind(ip)
        .bind(since)
        .fetch_one(tx.conn())
        .await?;
    if by_email >= max_failures || by_ip >= max_failures * 4 {
        return Ok(true);
    }
    sqlx::query("DELETE FROM login_failures WHERE at <= $1").bind(since).execute(tx.conn()).await?;
    sqlx::query("INSERT INTO login_failures (id, email, ip, at) VALUES ($1, $2, $3, $4)")
        .bind(UserId::new().to_string())
        .bind(email)
        .bind(ip)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
    tx.commit().await?;
    Ok(false)
}

/// A successful sign-in: the account's attempts no longer count.
pub async fn clear(db: &Db, email: &str) -> StoreResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM login_failures WHERE email = $1").bind(email).execute(tx.conn()).await?;
    tx.commit().await?;
    Ok(())
}
