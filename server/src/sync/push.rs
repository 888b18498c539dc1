//! Applying a device's mutations: exactly once, in the device's order, in one transaction.
//!
//! Each mutation goes through its entity's [`Syncable`] implementation — the same actions as
//! the entity's REST routes (validation, scope, audit) — inside a savepoint, so a refused
//! mutation undoes only itself and still advances the client's counter; anything else (the
//! database gone) fails the whole push and the device retries it, which then changes nothing
//! it already changed.

use super::conflicts::{self, Lost};
use super::entity::Syncable;
use crate::act::Act;
use crate::auth::Ctx;
use crate::db::{now_ms, WriteTx};
use crate::error::{AppError, AppResult};
use fieldwork_app::activities::Activity;
use fieldwork_app::appointments::Appointment;
use fieldwork_app::contacts::Contact;
use fieldwork_app::listings::Listing;
use fieldwork_app::sync::{
    get_path, merge_fields, take_misfits, Conflict, Entity, Merged, Mutation, MutationResult, Op, Outcome,
};
use fieldwork_app::tasks::Task;
use fieldwork_app::visits::Visit;
use serde::Serialize;
use serde_json::Value;

/// The client's row, claimed for this user: its last applied mutation. A client id that
/// belongs to someone else is refused — a device's queue is never sent as another user.
pub async fn claim_client(tx: &mut WriteTx, client_id: &str, ctx: &Ctx) -> AppResult<i64> {
    tx.lock_key(&format!("sync_client:{client_id}")).await?;
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT user_id, last_mutation_id FROM sync_clients WHERE client_id = $1")
            .bind(client_id)
            .fetch_optional(tx.conn())
            .await?;
    match row {
        Some((user, _)) if user != ctx.user_id().to_string() => Err(AppError::Forbidden),
        Some((_, last)) => Ok(last),
        None => {
            let now = now_ms();
            sqlx::query(
                "INSERT INTO sync_clients (client_id, user_id, last_mutation_id, created_at, last_seen_at) \
                 VALUES ($1, $2, 0, $3, $3)",
            )
            .bind(client_id)
            .bind(ctx.user_id().to_string())
            .bind(now)
            .execute(tx.conn())
            .await?;
            Ok(0)
        }
    }
}

pub async fn save_client(tx: &mut WriteTx, client_id: &str, last: i64) -> AppResult<()> {
    sqlx::query("UPDATE sync_clients SET last_mutation_id = $2, last_seen_at = $3 WHERE client_id = $1")
        .bind(client_id)
        .bind(last)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Applies one mutation inside a savepoint: its result, or an error that must fail the push.
pub async fn apply_one(act: &Act<'_>, tx: &mut WriteTx, m: &Mutation) -> AppResult<MutationResult> {
    tx.savepoint("mutation").await?;
    let waiting = act.waiting();
    match apply(act, tx, m).await {
        Ok(result) => {
            tx.release("mutation").await?;
            Ok(result)
        }
        Err(e) => {
            tx.rollback_to("mutation").await?;
            act.forget_since(waiting);
            refused(m.mutation_id, e)
        }
    }
}

/// A business refusal becomes the mutation's result; an infrastructure error fails the push.
fn refused(mutation_id: i64, e: AppError) -> AppResult<MutationResult> {
    let (message, fields) = match e {
        AppError::Validation(fields) => ("some fields are not valid".to_string(), Some(fields)),
        AppError::BadRequest(m) | AppError::Conflict(m) | AppError::Unprocessable(m) => (m, None),
        AppError::NotFound => ("the record does not exist or is not yours to change".to_string(), None),
        AppError::Forbidden => ("your role may not make this change".to_string(), None),
        other => return Err(other),
    };
    Ok(MutationResult {
        mutation_id,
        outcome: Outcome::Rejected,
        record: None,
        conflicts: vec![],
        message: Some(message),
        fields,
    })
}

/// The mutation, through its entity.
async fn apply(act: &Act<'_>, tx: &mut WriteTx, m: &Mutation) -> AppResult<MutationResult> {
    match m.entity {
        Entity::Contact => apply_to::<Contact>(act, tx, m).await,
        Entity::Activity => apply_to::<Activity>(act, tx, m).await,
        Entity::Task => apply_to::<Task>(act, tx, m).await,
        Entity::Visit => apply_to::<Visit>(act, tx, m).await,
        Entity::Appointment => apply_to::<Appointment>(act, tx, m).await,
        Entity::Listing => apply_to::<Listing>(act, tx, m).await,
        Entity::Conflict => apply_to::<Conflict>(act, tx, m).await,
    }
}

async fn apply_to<T: Syncable>(act: &Act<'_>, tx: &mut WriteTx, m: &Mutation) -> AppResult<MutationResult> {
    match m.op {
        Op::Create => {
            let mut fields = m.fields.clone();
            match T::create(act, tx, &m.id, fields.clone()).await {
                Ok(record) => Ok(applied(m, json(&record))),
                // Refused before anything was written: made again without the values that no
                // longer fit their fields, which are kept as conflicts.
                Err(AppError::Validation(refused)) => {
                    let misfits = take_misfits(&mut fields, &refused).ok_or(AppError::Validation(refused))?;
                    let record = json(&T::create(act, tx, &m.id, fields).await?);
                    let lost = misfits.into_iter().map(|(field, mine)| (field, mine, Value::Null)).collect();
                    with_conflicts(tx, act.ctx, m, record, lost).await
                }
                Err(e) => Err(e),
            }
        }
        Op::Update if !T::MERGED => Ok(applied(m, json(&T::update(act, tx, &m.id, m.fields.clone()).await?))),
        Op::Update => merge_update::<T>(act, tx, m).await,
        Op::Delete => {
            T::delete(act, tx, &m.id).await?;
            Ok(MutationResult { record: None, ..applied(m, Value::Null) })
        }
    }
}

fn applied(m: &Mutation, record: Value) -> MutationResult {
    MutationResult {
        mutation_id: m.mutation_id,
        outcome: Outcome::Applied,
        record: Some(record),
        conflicts: vec![],
        message: None,
        fields: None,
    }
}

/// An update merged field by field, the same for every entity: the record is locked and read
/// in scope; the fields nobody else changed since the device's version are applied; each field
/// someone else changed first keeps their value, and the device's value is kept as a conflict.
async fn merge_update<T: Syncable>(act: &Act<'_>, tx: &mut WriteTx, m: &Mutation) -> AppResult<MutationResult> {
    tx.lock_key(&format!("{}:{}", m.entity.as_str(), m.id)).await?;
    let current = T::read(act, tx, &m.id).await?;
    let now = json(&current);
    let Merged { apply: mut fields, mut lost } =
        merge_fields(&m.fields, &m.base, &now, m.base_version == Some(current.version()));
    if fields.is_empty() {
        return with_conflicts(tx, act.ctx, m, now, lost).await;
    }
    let record = match T::update(act, tx, &m.id, fields.clone()).await {
        Ok(record) => json(&record),
        // Refused before anything was written: the custom values that no longer fit their
        // fields (a definition changed while the device was offline) are kept as conflicts,
        // and the rest applies.
        Err(AppError::Validation(refused)) => {
            let misfits = take_misfits(&mut fields, &refused).ok_or(AppError::Validation(refused))?;
            for (field, mine) in misfits {
                let theirs = get_path(&now, &field).cloned().unwrap_or(Value::Null);
                lost.push((field, mine, theirs));
            }
            if fields.is_empty() {
                now
            } else {
                json(&T::update(act, tx, &m.id, fields).await?)
            }
        }
        Err(e) => return Err(e),
    };
    with_conflicts(tx, act.ctx, m, record, lost).await
}

/// Keeps each lost field as a conflict for the user; the result says which fields stayed theirs.
async fn with_conflicts(
    tx: &mut WriteTx,
    ctx: &Ctx,
    m: &Mutation,
    record: Value,
    lost: Vec<(String, Value, Value)>,
) -> AppResult<MutationResult> {
    let mut kept = Vec::with_capacity(lost.len());
    for (field, mine, theirs) in &lost {
        let lost = Lost { user: ctx.user_id(), entity: m.entity, record_id: &m.id, field, mine, theirs };
        kept.push(conflicts::insert(tx, &lost).await?);
    }
    Ok(MutationResult {
        mutation_id: m.mutation_id,
        outcome: if kept.is_empty() { Outcome::Applied } else { Outcome::Conflict },
        record: Some(record),
        conflicts: kept,
        message: None,
        fields: None,
    })
}

fn json<T: Serialize>(record: &T) -> Value {
    serde_json::to_value(record).unwrap_or(Value::Null)
}
