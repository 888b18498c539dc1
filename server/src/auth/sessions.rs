//! Server-side sessions: a row per signed-in browser, found by the hash of its cookie token.

use super::token;
use crate::db::{now_ms, Db, StoreResult, WriteTx};
use crate::users;
use fieldwork_app::common::UserId;
use fieldwork_app::users::User;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Creates a session and returns the token for the cookie (only its hash is stored).
pub async fn create(tx: &mut WriteTx, user_id: UserId, days: i64, user_agent: Option<&str>) -> StoreResult<String> {
    let token = token::generate("");
    let now = now_ms();
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(tx.conn()).await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, user_agent) \
         VALUES ($1, $2, $3, $4, $3, $5)",
    )
    .bind(token::hash(&token))
    .bind(user_id.to_string())
    .bind(now)
    .bind(now + days * DAY_MS)
    .bind(user_agent.map(|ua| ua.chars().take(200).collect::<String>()))
    .execute(tx.conn())
    .await?;
    Ok(token)
}

/// A session in use is extended at most this often (a write per request would serialise reads).
const TOUCH_EVERY_MS: i64 = 60 * 60 * 1000;

/// The user of a live session (a deleted user has none). A session lasts `days` from its last
/// use.
pub async fn user_of(db: &Db, token_hash: &str, days: i64) -> StoreResult<Option<User>> {
    let now = now_ms();
    let Some((user, last_seen)) = users::store::by_session(db, token_hash, now).await? else { return Ok(None) };
    if now - last_seen > TOUCH_EVERY_MS {
        let mut tx = db.begin_write().await?;
        sqlx::query("UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(now)
            .bind(now + days * DAY_MS)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
    }
    Ok(Some(user))
}

/// Ends the session of `token_hash`; the user it belonged to, if it was there.
pub async fn delete_in(tx: &mut WriteTx, token_hash: &str) -> StoreResult<Option<String>> {
    Ok(sqlx::query_scalar("DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id")
        .bind(token_hash)
        .fetch_optional(tx.conn())
        .await?)
}

/// Ends every session of a user (deactivation, password change).
pub async fn delete_all_of(tx: &mut WriteTx, user_id: UserId) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id.to_string()).execute(tx.conn()).await?;
    Ok(())
}
