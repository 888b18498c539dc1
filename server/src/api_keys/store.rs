//! SQL for API keys. Only the SHA-256 of a key is stored.

use crate::db::{from_ms, now_ms, parse_id, Db, StoreError, StoreResult, WriteTx};
use fieldwork_app::api_keys::ApiKey;
use fieldwork_app::common::{ApiKeyId, UserId};

#[derive(sqlx::FromRow)]
struct ApiKeyRow {
    id: String,
    name: String,
    prefix: String,
    created_at: i64,
    last_used_at: Option<i64>,
}

impl TryFrom<ApiKeyRow> for ApiKey {
    type Error = StoreError;
    fn try_from(r: ApiKeyRow) -> StoreResult<ApiKey> {
        Ok(ApiKey {
            id: parse_id(&r.id, "api_keys.id")?,
            name: r.name,
            prefix: r.prefix,
            created_at: from_ms(r.created_at),
            last_used_at: r.last_used_at.map(from_ms),
        })
    }
}

pub async fn insert(tx: &mut WriteTx, owner: UserId, name: &str, prefix: &str, key_hash: &str) -> StoreResult<ApiKey> {
    let id = ApiKeyId::new();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO api_keys (id, user_id, name, prefix, key_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.to_string())
    .bind(owner.to_string())
    .bind(name)
    .bind(prefix)
    .bind(key_hash)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(ApiKey { id, name: name.to_string(), prefix: prefix.to_string(), created_at: from_ms(now), last_used_at: None })
}

/// The caller's live keys, newest first.
pub async fn list_of(db: &Db, owner: UserId) -> StoreResult<Vec<ApiKey>> {
    let rows: Vec<ApiKeyRow> = sqlx::query_as(
        "SELECT id, name, prefix, created_at, last_used_at FROM api_keys \
         WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id",
    )
    .bind(owner.to_string())
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

/// Revokes one of the owner's keys; another user's key is "not found".
pub async fn revoke(tx: &mut WriteTx, owner: UserId, id: ApiKeyId) -> StoreResult<()> {
    let done = sqlx::query("UPDATE api_keys SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL")
        .bind(id.to_string())
        .bind(owner.to_string())
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

const STAMP_EVERY_MS: i64 = 60 * 1000;

/// The key id and user id of a live key with this hash.
pub async fn user_of(db: &Db, key_hash: &str) -> StoreResult<Option<(ApiKeyId, String)>> {
    let row: Option<(String, String, Option<i64>)> =
        sqlx::query_as("SELECT id, user_id, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL")
            .bind(key_hash)
            .fetch_optional(db.pool())
            .await?;
    let Some((id, user_id, last_used)) = row else { return Ok(None) };
    let id: ApiKeyId = parse_id(&id, "api_keys.id")?;
    // Stamped at most once a minute: a write (SQLite's one writer) on every request of an
    // integration would serialise its reads. Best effort: a missed stamp never fails a request.
    let stale = last_used.is_none_or(|t| now_ms() - t > STAMP_EVERY_MS);
    if !stale {
        return Ok(Some((id, user_id)));
    }
    if let Ok(mut tx) = db.begin_write().await {
        let stamped = sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1")
            .bind(id.to_string())
            .bind(now_ms())
            .execute(tx.conn())
            .await;
        if stamped.is_ok() {
            let _ = tx.commit().await;
        }
    }
    Ok(Some((id, user_id)))
}
