//! The audit log: who changed what, when, from which device. Written in the same transaction
//! as the change it describes, so a change without its audit entry cannot exist.

use crate::db::{now_ms, StoreResult, WriteTx};
use fieldwork_app::common::UserId;

pub async fn record(
    tx: &mut WriteTx,
    actor: Option<UserId>,
    entity: &str,
    entity_id: &str,
    action: &str,
    changes: serde_json::Value,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_id, device, entity, entity_id, action, changes) \
         VALUES ($1, $2, $3, NULL, $4, $5, $6, $7)",
    )
    .bind(UserId::new().to_string())
    .bind(now_ms())
    .bind(actor.map(|a| a.to_string()))
    .bind(entity)
    .bind(entity_id)
    .bind(action)
    .bind(changes.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}
