//! The business steps on custom fields: admins add, change and delete definitions; every
//! record's action checks its custom values through [`values_for`] and keeps the filter index
//! with [`keep_index`].

use super::store;
use crate::act::Act;
use crate::audit;
use crate::db::WriteTx;
use crate::error::{AppError, AppResult};
use fieldwork_app::common::{FieldError, FieldErrors, FieldId};
use fieldwork_app::fields::filter::Condition;
use fieldwork_app::fields::values::misfits;
use fieldwork_app::fields::{check_edit, CustomValues, FieldDef, FieldDefInput, RecordType, Writer, MAX_FIELDS};
use serde_json::{Map, Value};

/// Adds a field to a record type (admins). A key the type already has, live or deleted, is
/// refused on `key`; so is a type that already has [`MAX_FIELDS`] fields.
pub async fn create(act: &Act<'_>, tx: &mut WriteTx, body: &FieldDefInput) -> AppResult<FieldDef> {
    act.ctx.require_admin()?;
    let def = body.validate().map_err(AppError::Validation)?;
    let (count, next) = store::count(tx, def.record_type).await?;
    if count >= MAX_FIELDS as i64 {
        return Err(AppError::invalid(
            "record_type",
            FieldError::Invalid { reason: format!("has {MAX_FIELDS} fields, the most one record type may have") },
        ));
    }
    let id = store::insert(tx, &def, def.position.unwrap_or(next)).await.map_err(|e| match e {
        crate::db::StoreError::Conflict(_) => AppError::invalid("key", FieldError::Taken),
        other => other.into(),
    })?;
    let created = store::get(tx.conn(), id).await?;
    audit::record(tx, Some(act.ctx.user_id()), "custom_field", &id.to_string(), "create", definition(&created)).await?;
    Ok(created)
}

/// Adds a field made outside a request (a bulk load, a benchmark), checked as `create` does,
/// written by `by`. Audited with no actor.
pub async fn define(db: &crate::db::Db, body: &FieldDefInput, by: fieldwork_app::common::UserId) -> AppResult<FieldId> {
    let def = body.validate().map_err(AppError::Validation)?;
    let mut tx = db.begin_write().await?;
    let (_, next) = store::count(&mut tx, def.record_type).await?;
    let id = store::insert(&mut tx, &def, def.position.unwrap_or(next)).await?;
    let details = serde_json::json!({"key": def.key, "by": by.to_string()});
    audit::record(&mut tx, None, "custom_field", &id.to_string(), "create", details).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a field (admins): its label, help, choices, section, order, whether it is required
/// and who may edit it. Its record type and key never change; a choice is retired, not removed;
/// a new kind is refused, with the values that do not fit, unless every value fits it as it is.
pub async fn edit(act: &Act<'_>, tx: &mut WriteTx, id: FieldId, body: &FieldDefInput) -> AppResult<FieldDef> {
    act.ctx.require_admin()?;
    let before = store::get(tx.conn(), id).await?;
    let def = body.validate().map_err(AppError::Validation)?;
    check_edit(&before, &def).map_err(AppError::Validation)?;
    let after = FieldDef {
        kind: def.kind,
        unit: def.unit.clone(),
        link_to: def.link_to,
        choices: def.choices.clone(),
        ..before.clone()
    };
    if after.kind != before.kind || after.choices != before.choices || after.unit != before.unit {
        let held = store::values_of(tx, before.record_type, &before.key).await?;
        let bad = misfits(&after, held.iter().map(|(id, v)| (id.as_str(), v)));
        if !bad.is_empty() {
            let shown: Vec<String> = bad.iter().take(5).map(|(id, v)| format!("{v} (record {id})")).collect();
            let more = if bad.len() > 5 { format!(" and {} more", bad.len() - 5) } else { String::new() };
            let mut e = FieldErrors::new();
            e.add(
                "kind",
                FieldError::Invalid {
                    reason: format!("{} held values do not fit: {}{more}", bad.len(), shown.join(", ")),
                },
            );
            return Err(AppError::Validation(e));
        }
    }
    store::update(tx, id, &def, def.position.unwrap_or(before.position)).await?;
    let updated = store::get(tx.conn(), id).await?;
    let details = serde_json::json!({"before": definition(&before), "after": definition(&updated)});
    audit::record(tx, Some(act.ctx.user_id()), "custom_field", &id.to_string(), "update", details).await?;
    Ok(updated)
}

/// Deletes a field (admins): it leaves forms, lists and filters; the values records hold stay
/// in them and in the audit log, and its key is not given to another field.
pub async fn delete(act: &Act<'_>, tx: &mut WriteTx, id: FieldId) -> AppResult<()> {
    act.ctx.require_admin()?;
    let def = store::get(tx.conn(), id).await?;
    store::delete(tx, id).await?;
    audit::record(tx, Some(act.ctx.user_id()), "custom_field", &id.to_string(), "delete", definition(&def)).await?;
    Ok(())
}

/// The fields of `record_type`, for a record's action to check values against.
pub(crate) async fn definitions(tx: &mut WriteTx, record_type: RecordType) -> AppResult<Vec<FieldDef>> {
    Ok(store::list(tx.conn(), Some(record_type)).await?)
}

/// The values a record holds after the caller's `changes` (`current`: `None` for a new record),
/// checked against `defs`; errors on `custom.<key>`.
pub(crate) fn values_for(
    act: &Act<'_>,
    defs: &[FieldDef],
    current: Option<&CustomValues>,
    changes: &Map<String, Value>,
) -> AppResult<CustomValues> {
    let writer = Writer { office_and_up: act.ctx.role() != fieldwork_app::users::Role::Rep };
    fieldwork_app::fields::apply(defs, current, changes, writer).map_err(AppError::Validation)
}

/// The fields of `record_type` outside a write (an export's columns).
pub(crate) async fn listed(db: &crate::db::Db, record_type: RecordType) -> AppResult<Vec<FieldDef>> {
    let mut conn = db.pool().acquire().await.map_err(crate::db::StoreError::from)?;
    Ok(store::list(&mut conn, Some(record_type)).await?)
}

/// The conditions a list's `custom` query asks for, checked against `record_type`'s fields;
/// a bad one is a 400 on `custom` that names it.
pub(crate) async fn conditions(
    db: &crate::db::Db,
    record_type: RecordType,
    raw: Option<&str>,
) -> AppResult<Vec<Condition>> {
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else { return Ok(vec![]) };
    let mut conn = db.pool().acquire().await.map_err(crate::db::StoreError::from)?;
    let defs = store::list(&mut conn, Some(record_type)).await?;
    drop(conn);
    let mut conditions = fieldwork_app::fields::filter::parse(raw, &defs).map_err(AppError::Validation)?;
    for c in &mut conditions {
        c.common = super::filter::count_upto(db, c, COMMON).await? >= COMMON;
    }
    Ok(conditions)
}

/// Matches from which a condition counts as common (see [`super::filter`]).
const COMMON: i64 = 1_000;

/// Both checks' results, or every field error of both at once (built-in and custom fields are
/// checked together so a form hears of all its mistakes in one answer).
pub(crate) fn together<A, B>(built_in: Result<A, FieldErrors>, custom: AppResult<B>) -> AppResult<(A, B)> {
    match (built_in, custom) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(mut e), Err(AppError::Validation(more))) => {
            e.0.extend(more.0);
            Err(AppError::Validation(e))
        }
        (Err(e), _) => Err(AppError::Validation(e)),
        (_, Err(e)) => Err(e),
    }
}

/// The text of `values` a record of `record_type` is found by in search (none without values:
/// an import's many writes ask nothing).
pub(crate) async fn search_text(
    tx: &mut WriteTx,
    record_type: RecordType,
    values: &CustomValues,
) -> crate::db::StoreResult<Vec<String>> {
    if values.is_empty() {
        return Ok(vec![]);
    }
    let defs = store::list(tx.conn(), Some(record_type)).await?;
    Ok(fieldwork_app::fields::values::search_text(&defs, values))
}

/// Keeps the filter index of record `id` in step with the values it now holds.
pub(crate) async fn keep_index(tx: &mut WriteTx, id: &str, defs: &[FieldDef], values: &CustomValues) -> AppResult<()> {
    Ok(store::index(tx, id, defs, values).await?)
}

fn definition(def: &FieldDef) -> Value {
    serde_json::to_value(def).unwrap_or(Value::Null)
}
