//! SQL for saved list layouts: one JSON row per user and list.

use crate::db::{now_ms, parse_col, Db, StoreResult, WriteTx};
use fieldwork_app::common::UserId;
use fieldwork_app::views::{ListName, ListView};

/// The layout `user` saved for `list`, if any.
pub async fn get(db: &Db, user: UserId, list: ListName) -> StoreResult<Option<ListView>> {
    let body: Option<String> = sqlx::query_scalar("SELECT body FROM list_views WHERE user_id = $1 AND list = $2")
        .bind(user.to_string())
        .bind(list.as_str())
        .fetch_optional(db.pool())
        .await?;
    body.map(|b| parse_col(serde_json::from_str(&b), "list_views.body")).transpose()
}

/// Saves (or replaces) `user`'s layout of `list`.
pub async fn put(tx: &mut WriteTx, user: UserId, list: ListName, view: &ListView) -> StoreResult<()> {
    let body = serde_json::to_string(view).map_err(|e| crate::db::StoreError::Corrupt(e.to_string()))?;
    sqlx::query(
        "INSERT INTO list_views (user_id, list, body, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, list) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
    )
    .bind(user.to_string())
    .bind(list.as_str())
    .bind(body)
    .bind(now_ms())
    .execute(tx.conn())
    .await?;
    Ok(())
}
