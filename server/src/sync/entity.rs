//! [`Syncable`]: what sync needs of an entity that devices change offline — how to read one of
//! its records in the caller's scope, and how to apply a device's create, update or delete.
//!
//! Each entity implements it once, in its own domain, through that domain's actions, so a
//! change that arrives by sync goes through the same validation, scope and audit as the REST
//! route (the push itself only orders, merges and answers; see [`super::push`]). A change an
//! entity does not implement is refused as one devices do not sync.

use crate::act::Act;
use crate::db::WriteTx;
use crate::error::{AppError, AppResult};
use fieldwork_app::common::{FieldError, FieldErrors};
use fieldwork_app::sync::Entity;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// The fields of a mutation (the entity's REST body, or the changed fields of a PATCH body).
pub type Fields = Map<String, Value>;

pub(crate) trait Syncable: Serialize + Sized {
    const ENTITY: Entity;

    /// How an update applies: merged field by field with changes that reached the server first
    /// (the default), or as one step with no fields of its own to merge (a visit's check-out).
    const MERGED: bool = true;

    /// The record `id` in the caller's scope (not found when outside it).
    async fn read(act: &Act<'_>, tx: &mut WriteTx, id: &str) -> AppResult<Self> {
        let _ = (act, tx, id);
        Err(not_synced(Self::ENTITY, "update"))
    }

    /// The record's version, which a device's base version is compared with.
    fn version(&self) -> i64 {
        0
    }

    /// A device made record `id` from `fields`; the record as stored.
    async fn create(act: &Act<'_>, tx: &mut WriteTx, id: &str, fields: Fields) -> AppResult<Self> {
        let _ = (act, tx, id, fields);
        Err(not_synced(Self::ENTITY, "create"))
    }

    /// A device changed `fields` of record `id` (after the merge: only those nobody changed
    /// first); the record as stored.
    async fn update(act: &Act<'_>, tx: &mut WriteTx, id: &str, fields: Fields) -> AppResult<Self> {
        let _ = (act, tx, id, fields);
        Err(not_synced(Self::ENTITY, "update"))
    }

    /// A device deleted record `id`.
    async fn delete(act: &Act<'_>, tx: &mut WriteTx, id: &str) -> AppResult<()> {
        let _ = (act, tx, id);
        Err(not_synced(Self::ENTITY, "delete"))
    }
}

/// The entity's REST body from a mutation's fields; `id`, when given, goes in its `id` field
/// (a create names the record the device made).
pub fn body<T: DeserializeOwned>(mut fields: Fields, id: Option<&str>) -> AppResult<T> {
    if let Some(id) = id {
        fields.insert("id".into(), Value::String(id.to_string()));
    }
    serde_json::from_value(Value::Object(fields)).map_err(|e| AppError::BadRequest(format!("fields: {e}")))
}

/// A record id as the entity's id type.
pub fn id<T: std::str::FromStr>(id: &str) -> AppResult<T> {
    id.parse().map_err(|_| {
        let mut e = FieldErrors::new();
        e.add("id", FieldError::Invalid { reason: "not a UUID".into() });
        AppError::Validation(e)
    })
}

fn not_synced(entity: Entity, op: &str) -> AppError {
    AppError::BadRequest(format!("{op} {} is not a change devices sync yet; make it while online", entity.as_str()))
}
