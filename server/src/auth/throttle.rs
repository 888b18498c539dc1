//! Sign-in throttling: every attempt is a row, counted per account and per address over a
//! window, so the limit holds across restarts and across server replicas.
//!
//! An attempt is recorded *before* the password is checked and counted including itself, so
//! simultaneous guesses count against each other; a successful sign-in clears the account's
//! rows.

use crate::db::{now_ms, Db, StoreResult};
use fieldwork_app::common::UserId;

pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// Records an attempt and answers whether it is over the limit.
pub async fn record_attempt(db: &Db, email: &str, ip: &str, max_failures: i64) -> StoreResult<bool> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(now - WINDOW_MS).execute(tx.conn()).await?;
    sqlx::query("INSERT INTO login_failures (id, email, ip, at) VALUES ($1, $2, $3, $4)")
        .bind(UserId::new().to_string())
        .bind(email)
        .bind(ip)
        .bind(now)
        .execute(tx.conn())
        .await?;
    tx.commit().await?;
    let by_email: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE email = $1")
        .bind(email)
        .fetch_one(db.pool())
        .await?;
    // An address may try a few accounts (a shared office connection) but not spray many.
    let by_ip: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE ip = $1").bind(ip).fetch_one(db.pool()).await?;
    Ok(by_email > max_failures || by_ip > max_failures * 4)
}

/// A successful sign-in: the account's attempts no longer count.
pub async fn clear(db: &Db, email: &str) -> StoreResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM login_failures WHERE email = $1").bind(email).execute(tx.conn()).await?;
    tx.commit().await?;
    Ok(())
}
