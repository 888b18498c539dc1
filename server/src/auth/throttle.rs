//! Sign-in throttling: failed attempts are rows, counted per account and per address over a
//! window, so the limit holds across restarts and across server replicas.

use crate::db::{now_ms, Db, StoreResult};
use fieldwork_app::common::UserId;

pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// True when this account or this address has used up its failed attempts.
pub async fn is_blocked(db: &Db, email: &str, ip: &str, max_failures: i64) -> StoreResult<bool> {
    let since = now_ms() - WINDOW_MS;
    let by_email: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE email = $1 AND at > $2")
        .bind(email)
        .bind(since)
        .fetch_one(db.pool())
        .await?;
    if by_email >= max_failures {
        return Ok(true);
    }
    // An address may try a few accounts (a shared office connection) but not spray many.
    let by_ip: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at > $2")
        .bind(ip)
        .bind(since)
        .fetch_one(db.pool())
        .await?;
    Ok(by_ip >= max_failures * 4)
}

pub async fn record_failure(db: &Db, email: &str, ip: &str) -> StoreResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("INSERT INTO login_failures (id, email, ip, at) VALUES ($1, $2, $3, $4)")
        .bind(UserId::new().to_string())
        .bind(email)
        .bind(ip)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
    // Keep the table small: anything outside the window no longer counts.
    sqlx::query("DELETE FROM login_failures WHERE at < $1").bind(now_ms() - WINDOW_MS).execute(tx.conn()).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn clear(db: &Db, email: &str) -> StoreResult<()> {
    let mut tx = db.begin_write().await?;
    sqlx::query("DELETE FROM login_failures WHERE email = $1").bind(email).execute(tx.conn()).await?;
    tx.commit().await?;
    Ok(())
}
