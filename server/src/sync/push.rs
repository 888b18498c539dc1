//! Applying a device's mutations: exactly once, in the device's order, in one transaction.
//!
//! Each mutation goes through the same function as the entity's REST route (validation,
//! scope, audit), inside a savepoint, so a refused mutation undoes only itself and still
//! advances the client's counter; anything else (the database gone) fails the whole push and
//! the device retries it, which then changes nothing it already changed.

use super::conflicts::{self, Lost};
use crate::auth::Ctx;
use crate::db::{now_ms, WriteTx};
use crate::error::{AppError, AppResult};
use crate::scope::Scope;
use crate::{activities, appointments, contacts, listings, tasks, visits, AppState};
use fieldwork_app::activities::ActivityForCreate;
use fieldwork_app::appointments::{Appointment, AppointmentForCreate, AppointmentForUpdate};
use fieldwork_app::common::{AppointmentId, ContactId, FieldErrors, ListingId, TaskId, VisitId};
use fieldwork_app::contacts::{Contact, ContactForCreate, ContactForUpdate};
use fieldwork_app::listings::{Listing, ListingForCreate, ListingForUpdate};
use fieldwork_app::sync::{merge_fields, Entity, Merged, Mutation, MutationResult, Op, Outcome};
use fieldwork_app::tasks::{Task, TaskForCreate, TaskForUpdate};
use fieldwork_app::visits::{VisitForCheckIn, VisitForCheckOut};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

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
/// Listings put on the market go into `published`, to tell matching buyers once the push has
/// committed.
pub async fn apply_one(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
    tx: &mut WriteTx,
    m: &Mutation,
    published: &mut Vec<listings::routes::Saved>,
) -> AppResult<MutationResult> {
    tx.savepoint("mutation").await?;
    match apply(state, ctx, scope, tx, m, published).await {
        Ok(result) => {
            tx.release("mutation").await?;
            Ok(result)
        }
        Err(e) => {
            tx.rollback_to("mutation").await?;
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

async fn apply(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
    tx: &mut WriteTx,
    m: &Mutation,
    published: &mut Vec<listings::routes::Saved>,
) -> AppResult<MutationResult> {
    let applied = |record: Value| MutationResult {
        mutation_id: m.mutation_id,
        outcome: Outcome::Applied,
        record: Some(record),
        conflicts: vec![],
        message: None,
        fields: None,
    };
    match (m.entity, m.op) {
        (Entity::Contact, Op::Create) => {
            let mut body: ContactForCreate = body_of(m, true)?;
            body.id = Some(parse_id(&m.id)?);
            Ok(applied(json(&contacts::routes::create_in(state, ctx, scope, tx, &body).await?)))
        }
        (Entity::Contact, Op::Update) => {
            let read = async |tx: &mut WriteTx| Ok(contacts::store::get(tx.conn(), scope, &m.id).await?);
            let write = async |tx: &mut WriteTx, current: Contact, body: ContactForUpdate| {
                Ok(json(&contacts::routes::update_in(state, ctx, scope, tx, &current, &body).await?))
            };
            merge_update(tx, ctx, m, (read, |c: &Contact| c.version), write).await
        }
        (Entity::Contact, Op::Delete) => {
            contacts::routes::delete_in(ctx, scope, tx, parse_id::<ContactId>(&m.id)?).await?;
            Ok(MutationResult { record: None, ..applied(Value::Null) })
        }
        (Entity::Activity, Op::Create) => {
            let contact: ContactId = m
                .fields
                .get("contact_id")
                .and_then(Value::as_str)
                .and_then(|c| c.parse().ok())
                .ok_or_else(|| AppError::invalid("contact_id", fieldwork_app::common::FieldError::Required))?;
            let mut body: ActivityForCreate = body_of(m, true)?;
            body.id = Some(parse_id(&m.id)?);
            Ok(applied(json(&activities::routes::log_in(ctx, scope, tx, contact, &body).await?)))
        }
        (Entity::Task, Op::Create) => {
            let mut body: TaskForCreate = body_of(m, true)?;
            body.id = Some(parse_id(&m.id)?);
            Ok(applied(json(&tasks::routes::create_in(state, ctx, scope, tx, &body).await?)))
        }
        (Entity::Task, Op::Update) => {
            let id = parse_id::<TaskId>(&m.id)?;
            let read = async |tx: &mut WriteTx| Ok(tasks::store::get(tx.conn(), scope, id).await?);
            let write = async |tx: &mut WriteTx, current: Task, body: TaskForUpdate| {
                Ok(json(&tasks::routes::update_in(state, ctx, scope, tx, &current, &body).await?))
            };
            merge_update(tx, ctx, m, (read, |t: &Task| t.version), write).await
        }
        (Entity::Visit, Op::Create) => {
            let mut body: VisitForCheckIn = body_of(m, true)?;
            body.id = Some(parse_id(&m.id)?);
            Ok(applied(json(&visits::routes::check_in_in(ctx, scope, tx, &body).await?)))
        }
        // A visit changes once, forward: the check-out.
        (Entity::Visit, Op::Update) => {
            let body: VisitForCheckOut = body_of(m, false)?;
            let done = visits::routes::check_out_in(state, ctx, tx, parse_id::<VisitId>(&m.id)?, &body).await?;
            Ok(applied(json(&done.visit)))
        }
        (Entity::Appointment, Op::Create) => {
            let mut body: AppointmentForCreate = body_of(m, true)?;
            body.id = Some(parse_id(&m.id)?);
            Ok(applied(json(&appointments::routes::create_in(state, ctx, scope, tx, &body).await?)))
        }
        // Field by field like a contact; the status only moves forward (`apply` refuses a step back).
        (Entity::Appointment, Op::Update) => {
            let id = parse_id::<AppointmentId>(&m.id)?;
            let read = async |tx: &mut WriteTx| Ok(appointments::store::get(tx.conn(), scope, id).await?);
            let write = async |tx: &mut WriteTx, current: Appointment, body: AppointmentForUpdate| {
                Ok(json(&appointments::routes::update_in(state, ctx, scope, tx, &current, &body).await?))
            };
            merge_update(tx, ctx, m, (read, |a: &Appointment| a.version), write).await
        }
        (Entity::Appointment, Op::Delete) => {
            appointments::routes::delete_in(ctx, scope, tx, parse_id::<AppointmentId>(&m.id)?).await?;
            Ok(MutationResult { record: None, ..applied(Value::Null) })
        }
        (Entity::Listing, Op::Create) => {
            let mut body: ListingForCreate = body_of(m, true)?;
            body.id = Some(parse_id(&m.id)?);
            let saved = listings::routes::create_in(state, ctx, scope, tx, &body).await?;
            let record = json(&saved.listing);
            published.push(saved);
            Ok(applied(record))
        }
        // Field by field; the status only takes a step the status machine allows.
        (Entity::Listing, Op::Update) => {
            let id = parse_id::<ListingId>(&m.id)?;
            let read = async |tx: &mut WriteTx| Ok(listings::store::get(tx.conn(), scope, id).await?);
            let write = async |tx: &mut WriteTx, current: Listing, body: ListingForUpdate| {
                let saved = listings::routes::update_in(state, ctx, scope, tx, &current, &body).await?;
                let record = json(&saved.listing);
                published.push(saved);
                Ok(record)
            };
            merge_update(tx, ctx, m, (read, |l: &Listing| l.version), write).await
        }
        (Entity::Conflict, Op::Update) => {
            let resolution =
                m.fields.get("resolution").and_then(Value::as_str).filter(|r| matches!(*r, "mine" | "theirs"));
            let resolution = resolution
                .ok_or_else(|| AppError::invalid("resolution", fieldwork_app::common::FieldError::NotAllowed))?;
            conflicts::get(tx.conn(), ctx.user_id(), &m.id).await?;
            Ok(applied(json(&conflicts::resolve(tx, ctx.user_id(), &m.id, resolution).await?)))
        }
        (entity, op) => Err(AppError::BadRequest(format!(
            "{} {} is not a change devices sync yet; make it while online",
            serde_json::to_string(&op).unwrap_or_default().trim_matches('"'),
            entity.as_str()
        ))),
    }
}

/// An update merged field by field, the same for every entity: the record is locked and read
/// (`read`, with its `version`); the fields nobody else changed since the device's version go
/// through the entity's REST step (`write`, answering the record as stored); each field someone
/// else changed first keeps their value, and the device's value is kept as a conflict.
async fn merge_update<T: Serialize, B: DeserializeOwned>(
    tx: &mut WriteTx,
    ctx: &Ctx,
    m: &Mutation,
    (read, version): (impl AsyncFnOnce(&mut WriteTx) -> AppResult<T>, impl Fn(&T) -> i64),
    write: impl AsyncFnOnce(&mut WriteTx, T, B) -> AppResult<Value>,
) -> AppResult<MutationResult> {
    tx.lock_key(&format!("{}:{}", m.entity.as_str(), m.id)).await?;
    let current = read(tx).await?;
    let Merged { apply: fields, lost } = merged(m, &json(&current), version(&current));
    let record = if fields.is_empty() { json(&current) } else { write(tx, current, from_fields(fields)?).await? };
    with_conflicts(tx, ctx, m, record, lost).await
}

/// The fields to write after the field-level merge, and the ones whose offline value lost.
fn merged(m: &Mutation, current: &Value, version: i64) -> Merged {
    merge_fields(&m.fields, &m.base, current, m.base_version == Some(version))
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

/// The entity's REST body from the mutation's fields (`with_id`: the record id goes in `id`).
fn body_of<T: DeserializeOwned>(m: &Mutation, with_id: bool) -> AppResult<T> {
    let mut fields = m.fields.clone();
    if with_id {
        fields.insert("id".into(), Value::String(m.id.clone()));
    }
    from_fields(fields)
}

fn from_fields<T: DeserializeOwned>(fields: Map<String, Value>) -> AppResult<T> {
    serde_json::from_value(Value::Object(fields)).map_err(|e| AppError::BadRequest(format!("fields: {e}")))
}

fn parse_id<T: std::str::FromStr>(id: &str) -> AppResult<T> {
    id.parse().map_err(|_| {
        let mut e = FieldErrors::new();
        e.add("id", fieldwork_app::common::FieldError::Invalid { reason: "not a UUID".into() });
        AppError::Validation(e)
    })
}

fn json<T: Serialize>(record: &T) -> Value {
    serde_json::to_value(record).unwrap_or(Value::Null)
}
