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

/// The fields that differ between two versions of a record: `{"field": [old, new]}`, leaving
/// out the bookkeeping (`version`, `updated_at`).
pub fn diff<T: serde::Serialize>(before: &T, after: &T) -> serde_json::Value {
    let (Ok(serde_json::Value::Object(before)), Ok(serde_json::Value::Object(after))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return serde_json::json!({});
    };
    let mut changed: serde_json::Map<String, serde_json::Value> = after
        .iter()
        .filter(|(k, v)| !matches!(k.as_str(), "version" | "updated_at" | "custom") && before.get(*k) != Some(v))
        .map(|(k, v)| (k.clone(), serde_json::json!([before.get(k).cloned().unwrap_or_default(), v])))
        .collect();
    // Custom values are told apart one field at a time (`custom.<key>`), as built-in ones are.
    let empty = serde_json::Map::new();
    let custom =
        |side: &serde_json::Map<String, serde_json::Value>| side.get("custom").and_then(|c| c.as_object()).cloned();
    let (was, now) = (custom(&before).unwrap_or_else(|| empty.clone()), custom(&after).unwrap_or(empty));
    for key in was.keys().chain(now.keys()) {
        let (old, new) = (was.get(key).cloned().unwrap_or_default(), now.get(key).cloned().unwrap_or_default());
        if old != new {
            changed.insert(format!("custom.{key}"), serde_json::json!([old, new]));
        }
    }
    serde_json::Value::Object(changed)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_diff_names_only_changed_fields_with_old_and_new_values() {
        let before = serde_json::json!({"name": "Rahim", "phone": "1", "version": 3});
        let after = serde_json::json!({"name": "Rahim Uddin", "phone": "1", "version": 4});
        assert_eq!(super::diff(&before, &after), serde_json::json!({"name": ["Rahim", "Rahim Uddin"]}));
    }

    #[test]
    fn a_diff_names_each_changed_custom_value() {
        let before = serde_json::json!({"custom": {"budget": 5, "area": ["gulshan"]}});
        let after = serde_json::json!({"custom": {"budget": 7, "area": ["gulshan"], "floor": 2}});
        let diff = serde_json::json!({"custom.budget": [5, 7], "custom.floor": [null, 2]});
        assert_eq!(super::diff(&before, &after), diff);
    }
}
