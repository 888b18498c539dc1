//! Recording a change made in the browser: the local record and its mutation are written in
//! one local transaction first; then, when the network allows, the engine pushes it at once
//! and the page gets the server's answer (the record as stored, or why it was refused) —
//! offline it gets the local record and the change waits in the outbox.

use super::{engine, local};
use crate::common::{ApiError, ErrorCode};
use crate::sync::{Entity, Mutation, Op, Outcome};
use leptos::prelude::Update;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// How long a page waits for the server's answer before it says "saved on this device".
const ANSWER_WAIT_MS: u32 = 6_000;

/// Where a recorded change stands when the page moves on.
#[derive(Debug, Clone, PartialEq)]
pub enum Saved<T> {
    /// The server has it: its record.
    Synced(T),
    /// Saved on this device; it goes to the server with the next sync.
    Queued(T),
}

impl<T> Saved<T> {
    pub fn record(&self) -> &T {
        match self {
            Saved::Synced(r) | Saved::Queued(r) => r,
        }
    }

    pub fn into_record(self) -> T {
        match self {
            Saved::Synced(r) | Saved::Queued(r) => r,
        }
    }

    pub fn is_queued(&self) -> bool {
        matches!(self, Saved::Queued(_))
    }
}

/// The change as the mutation carries it.
pub struct Change<'a, B: Serialize> {
    pub entity: Entity,
    pub id: String,
    pub op: Op,
    /// The entity's REST body for this change.
    pub body: &'a B,
    /// For an update: the changed fields' values before the change.
    pub base: Map<String, Value>,
    pub base_version: Option<i64>,
}

/// An update's fields and base: the fields of `body` (a PATCH body) whose value differs from the
/// record as this device knows it (`current`, in its REST shape), and what each of them held.
/// Fields the user did not change are left out, so they can never conflict with someone else's.
pub fn changed_fields<C: Serialize, B: Serialize>(current: &C, body: &B) -> (Map<String, Value>, Map<String, Value>) {
    let known = serde_json::to_value(current).unwrap_or_default();
    let mut fields = match serde_json::to_value(body) {
        Ok(Value::Object(fields)) => fields,
        _ => Map::new(),
    };
    // The concurrency token of a PATCH body is not a field (the mutation has `base_version`).
    fields.remove("base_version");
    fields.remove("version");
    let held = |field: &str| known.get(field).cloned().unwrap_or(Value::Null);
    let custom = fields.remove(crate::sync::CUSTOM);
    fields.retain(|field, value| *value != held(field));
    let mut base: Map<String, Value> = fields.keys().map(|f| (f.clone(), held(f))).collect();
    // Custom values are sent one field at a time too (only the keys whose value changed; a
    // cleared one as null), so an edit merges with edits to the record's other custom fields.
    if let Some(Value::Object(mut custom)) = custom {
        let was = held(crate::sync::CUSTOM);
        let value_of = |key: &str| was.get(key).cloned().unwrap_or(Value::Null);
        custom.retain(|key, value| *value != value_of(key));
        if !custom.is_empty() {
            base.insert(crate::sync::CUSTOM.into(), custom.keys().map(|k| (k.clone(), value_of(k))).collect());
            fields.insert(crate::sync::CUSTOM.into(), Value::Object(custom));
        }
    }
    (fields, base)
}

/// Records the creation of record `id` of `entity` from its REST `body`, with `local` as it
/// looks on this device until the server answers.
pub async fn create<B: Serialize, T: Serialize + DeserializeOwned>(
    (entity, id): (Entity, String),
    body: &B,
    local: &T,
) -> Result<Saved<T>, ApiError> {
    let change = Change { entity, id, op: Op::Create, body, base: Map::new(), base_version: None };
    record(change, local).await
}

/// The record an update starts from: as this device holds it, else as `fetch` gets it from the
/// server (a record outside what the device keeps).
pub async fn known<T: DeserializeOwned>(
    (entity, id): (Entity, &str),
    fetch: impl std::future::Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    match local::one::<T>(entity, id).await.ok().flatten() {
        Some(held) => Ok(held),
        None => fetch.await,
    }
}

/// Records an update of `current` (at `version`) by a PATCH `body`: only its fields that differ
/// from `current`, each with the value it replaces, so an offline edit merges field by field
/// with edits that reach the server first. `shown` gives the record as it now looks on this
/// device (from the changed fields). Nothing changed: `current`, and nothing is recorded.
pub async fn update<T: Serialize + DeserializeOwned + Clone, B: Serialize>(
    (entity, id): (Entity, String),
    (current, version): (&T, i64),
    body: &B,
    shown: impl FnOnce(&Map<String, Value>) -> T,
) -> Result<T, ApiError> {
    let (fields, base) = changed_fields(current, body);
    if fields.is_empty() {
        return Ok(current.clone());
    }
    let local = shown(&fields);
    let body = Value::Object(fields);
    let change = Change { entity, id, op: Op::Update, body: &body, base, base_version: Some(version) };
    record(change, &local).await.map(Saved::into_record)
}

/// Records `change` with `local` as the record now looks on this device. Errors only when the
/// change could not even be kept on the device (or the server refused it while online).
pub async fn record<B: Serialize, T: Serialize + DeserializeOwned>(
    change: Change<'_, B>,
    local: &T,
) -> Result<Saved<T>, ApiError> {
    let Some(user) = engine::current_user() else {
        return Err(ApiError::new(ErrorCode::Internal, "the app has not started yet; try again"));
    };
    let mut fields = match serde_json::to_value(change.body) {
        Ok(Value::Object(fields)) => fields,
        _ => Map::new(),
    };
    fields.remove("id");
    fields.retain(|_, v| !v.is_null() || change.op == Op::Update);
    let mutation = Mutation {
        client_id: None,
        mutation_id: 0, // numbered by the local store, in the same transaction
        entity: change.entity,
        id: change.id.clone(),
        op: change.op,
        base_version: change.base_version,
        fields,
        base: change.base,
        client_ts: Some(chrono::Utc::now()),
    };
    let overlay = serde_json::to_value(local).unwrap_or(Value::Null);
    let stored = |e: local::LocalError| ApiError::new(ErrorCode::Internal, format!("not saved on this device: {e}"));
    let mutation_id = local::write(user, change.entity, &change.id, &overlay, &mutation).await.map_err(stored)?;
    if let Some(sync) = engine::handle() {
        sync.changed.update(|n| *n += 1);
    }
    let Some(answer) = engine::result_of(mutation_id, ANSWER_WAIT_MS).await else {
        #[cfg(feature = "hydrate")]
        local::request_background_sync();
        return Ok(Saved::Queued(
            serde_json::from_value(overlay).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?,
        ));
    };
    match answer.outcome {
        Outcome::Rejected => {
            let mut error = match &answer.fields {
                Some(fields) => ApiError::validation(fields),
                None => ApiError::new(ErrorCode::Conflict, ""),
            };
            if let Some(message) = answer.message {
                error.message = message;
            }
            Err(error)
        }
        _ => match answer.record.and_then(|r| serde_json::from_value(r).ok()) {
            Some(record) => Ok(Saved::Synced(record)),
            None => Ok(Saved::Synced(
                serde_json::from_value(overlay).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?,
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::changed_fields;
    use serde_json::json;

    #[test]
    fn an_edit_sends_only_the_fields_and_custom_values_that_changed() {
        let current =
            json!({"name": "Rahim", "notes": "a", "version": 3, "custom": {"budget": 5, "area": ["gulshan"]}});
        let body = json!({"base_version": 3, "name": "Rahim", "notes": "b", "custom": {"budget": 5, "area": ["banani"], "floor": null}});
        let (fields, base) = changed_fields(&current, &body);
        assert_eq!(serde_json::Value::Object(fields), json!({"notes": "b", "custom": {"area": ["banani"]}}));
        assert_eq!(serde_json::Value::Object(base), json!({"notes": "a", "custom": {"area": ["gulshan"]}}));
        let (fields, _) = changed_fields(&current, &json!({"custom": {"budget": 5}}));
        assert!(fields.is_empty(), "an unchanged custom value is no change");
    }
}
