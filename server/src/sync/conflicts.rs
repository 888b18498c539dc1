//! SQL for sync conflicts: one row per field where a device's offline edit lost.

use super::entity::{Fields, Syncable};
use crate::act::Act;
use crate::db::{from_ms, now_ms, parse_col, StoreError, StoreResult, WriteTx};
use crate::error::{AppError, AppResult};
use fieldwork_app::common::{FieldError, UserId};
use fieldwork_app::sync::{Conflict, Entity};
use serde_json::Value;

const COLUMNS: &str = "id, user_id, entity, record_id, field, mine, theirs, theirs_by, theirs_at, resolution, version";

#[derive(sqlx::FromRow)]
struct ConflictRow {
    id: String,
    #[allow(dead_code)] // selected for symmetry with the table; scope is checked in SQL
    user_id: String,
    entity: String,
    record_id: String,
    field: String,
    mine: String,
    theirs: String,
    theirs_by: Option<String>,
    theirs_at: i64,
    resolution: Option<String>,
    version: i64,
}

impl TryFrom<ConflictRow> for Conflict {
    type Error = StoreError;
    fn try_from(r: ConflictRow) -> StoreResult<Conflict> {
        let entity = Entity::ALL.into_iter().find(|e| e.as_str() == r.entity);
        Ok(Conflict {
            id: r.id,
            entity: parse_col(entity.ok_or(()), "sync_conflicts.entity")?,
            record_id: r.record_id,
            field: r.field,
            mine: serde_json::from_str(&r.mine).unwrap_or(Value::Null),
            theirs: serde_json::from_str(&r.theirs).unwrap_or(Value::Null),
            theirs_by: r.theirs_by,
            theirs_at: from_ms(r.theirs_at),
            resolution: r.resolution,
            version: r.version,
        })
    }
}

/// What a conflict records, before it is stored.
pub struct Lost<'a> {
    pub user: UserId,
    pub entity: Entity,
    pub record_id: &'a str,
    pub field: &'a str,
    pub mine: &'a Value,
    pub theirs: &'a Value,
}

pub async fn insert(tx: &mut WriteTx, lost: &Lost<'_>) -> StoreResult<Conflict> {
    let (by, at) = last_change(tx, lost.entity, lost.record_id).await?;
    let version = tx.next_version().await?;
    let id = uuid::Uuid::now_v7().to_string();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO sync_conflicts (id, user_id, entity, record_id, field, mine, theirs, theirs_by, theirs_at, \
         resolution, created_at, updated_at, version, deleted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $10, $11, 0)",
    )
    .bind(&id)
    .bind(lost.user.to_string())
    .bind(lost.entity.as_str())
    .bind(lost.record_id)
    .bind(lost.field)
    .bind(lost.mine.to_string())
    .bind(lost.theirs.to_string())
    .bind(by)
    .bind(at.unwrap_or(now))
    .bind(now)
    .bind(version)
    .execute(tx.conn())
    .await?;
    get(tx.conn(), lost.user, &id).await
}

/// Who last changed the record and when, from the audit log (written with every change).
async fn last_change(tx: &mut WriteTx, entity: Entity, id: &str) -> StoreResult<(Option<String>, Option<i64>)> {
    let row: Option<(Option<String>, i64)> = sqlx::query_as(
        "SELECT u.name, a.at FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id \
         WHERE a.entity = $1 AND a.entity_id = $2 ORDER BY a.at DESC LIMIT 1",
    )
    .bind(entity.as_str())
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    Ok(row.map_or((None, None), |(by, at)| (by, Some(at))))
}

/// One of `user`'s conflicts.
pub async fn get(conn: &mut sqlx::AnyConnection, user: UserId, id: &str) -> StoreResult<Conflict> {
    let row: Option<ConflictRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM sync_conflicts WHERE id = $1 AND user_id = $2 AND deleted = 0"))
            .bind(id)
            .bind(user.to_string())
            .fetch_optional(conn)
            .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// Records the user's choice; the value itself is written by the record's own mutation.
pub async fn resolve(tx: &mut WriteTx, user: UserId, id: &str, resolution: &str) -> StoreResult<Conflict> {
    let version = tx.next_version().await?;
    sqlx::query(
        "UPDATE sync_conflicts SET resolution = $3, updated_at = $4, version = $5 WHERE id = $1 AND user_id = $2 AND deleted = 0",
    )
    .bind(id)
    .bind(user.to_string())
    .bind(resolution)
    .bind(now_ms())
    .bind(version)
    .execute(tx.conn())
    .await?;
    get(tx.conn(), user, id).await
}

/// A user's conflicts on one record that wait for a choice.
pub async fn open_on(db: &crate::db::Db, user: UserId, record_id: &str) -> StoreResult<Vec<Conflict>> {
    let rows: Vec<ConflictRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM sync_conflicts WHERE user_id = $1 AND record_id = $2 AND resolution IS NULL \
         AND deleted = 0 ORDER BY version"
    ))
    .bind(user.to_string())
    .bind(record_id)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

/// A device settles one of its user's conflicts: `resolution` is `mine` or `theirs`.
impl Syncable for Conflict {
    const ENTITY: Entity = Entity::Conflict;
    const MERGED: bool = false;

    async fn update(act: &Act<'_>, tx: &mut WriteTx, id: &str, fields: Fields) -> AppResult<Conflict> {
        let resolution = fields.get("resolution").and_then(Value::as_str).filter(|r| matches!(*r, "mine" | "theirs"));
        let resolution = resolution.ok_or_else(|| AppError::invalid("resolution", FieldError::NotAllowed))?;
        let me = act.ctx.user_id();
        get(tx.conn(), me, id).await?;
        Ok(resolve(tx, me, id, resolution).await?)
    }
}
