//! `/api/v1/users/{id}/book`: what a rep holds, and moving all of it to other reps when they
//! leave (`fieldwork_app::users::book`).
//!
//! The move is one transaction and one audit entry on the user (with an entry per record, as
//! each record is changed by its own domain's edit: scope, rules, a new sync version). The
//! records leave the old rep's scope, so their devices are told to drop them on the next sync
//! (the feed's `remove`), unless a territory still assigned to them keeps the contacts in view.

use crate::act::Act;
use crate::auth::Ctx;
use crate::db::{now_ms, StoreResult, WriteTx};
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;
use crate::{appointments, audit, contacts, deals, tasks};
use axum::extract::{Path, State};
use axum::Json;
use fieldwork_app::appointments::AppointmentForUpdate;
use fieldwork_app::common::{AppointmentId, ContactId, DealId, ErrorBody, TaskId, TerritoryId, UserId};
use fieldwork_app::contacts::ContactForUpdate;
use fieldwork_app::deals::DealForUpdate;
use fieldwork_app::tasks::TaskForUpdate;
use fieldwork_app::users::book::{Book, BookMove, BookMoved, MovedTo};
use fieldwork_app::users::Role;
use std::collections::{HashMap, HashSet};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_book)).routes(routes!(move_book))
}

/// How much a rep holds. Office staff, managers (for their team) and admins.
#[utoipa::path(get, path = "/users/{id}/book", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = Book), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn get_book(State(state): State<AppState>, ctx: Ctx, Path(id): Path<UserId>) -> AppResult<Json<Book>> {
    ctx.require_not_rep()?;
    let scope = ctx.scope(&state.db).await?;
    if !scope.covers_user(id) {
        return Err(AppError::NotFound);
    }
    let mut tx = state.db.begin_write().await?;
    let held = held(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Json(Book {
        contacts: held.contacts.len() as i64,
        open_deals: held.deals.len() as i64,
        open_tasks: held.tasks.len() as i64,
        upcoming_appointments: held.appointments.len() as i64,
    }))
}

/// Moves a rep's whole book to the reps named, split by territory, in one step. Office staff,
/// managers (within their team) and admins.
#[utoipa::path(post, path = "/users/{id}/book/move", tag = "users", params(("id" = String, Path)), request_body = BookMove,
    responses((status = 200, body = BookMoved), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn move_book(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<UserId>,
    ApiJson(body): ApiJson<BookMove>,
) -> AppResult<Json<BookMoved>> {
    ctx.require_not_rep()?;
    body.validate(id).map_err(AppError::Validation)?;
    let scope = ctx.scope(&state.db).await?.clone();
    if !scope.covers_user(id) {
        return Err(AppError::NotFound);
    }
    for (i, rep) in body.to.iter().enumerate() {
        crate::scope::check_user(&state.db, &scope, *rep, &format!("to[{i}]")).await?;
        if crate::users::store::by_id(&state.db, *rep).await?.role != Role::Rep {
            let mut e = fieldwork_app::common::FieldErrors::new();
            e.add(&format!("to[{i}]"), fieldwork_app::common::FieldError::NotAllowed);
            return Err(AppError::Validation(e));
        }
    }
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let moved = move_all(&act, &mut tx, id, &body.to).await?;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "user",
        &id.to_string(),
        "move_book",
        serde_json::to_value(&moved).unwrap_or_default(),
    )
    .await?;
    tx.commit().await?;
    act.committed().await;
    Ok(Json(moved))
}

/// The records of a rep's book: contacts (with their territory), and the open deals,
/// follow-ups and coming appointments (with their contact).
struct Held {
    contacts: Vec<(ContactId, Option<TerritoryId>)>,
    deals: Vec<(DealId, Option<ContactId>)>,
    tasks: Vec<(TaskId, Option<ContactId>)>,
    appointments: Vec<(AppointmentId, Option<ContactId>)>,
}

async fn held(tx: &mut WriteTx, rep: UserId) -> StoreResult<Held> {
    let rep = rep.to_string();
    Ok(Held {
        contacts: store::contacts_of(tx, &rep).await?,
        deals: store::open_deals_of(tx, &rep).await?,
        tasks: store::open_tasks_of(tx, &rep).await?,
        appointments: store::upcoming_of(tx, &rep, now_ms()).await?,
    })
}

/// Moves every record of `from`'s book, each through its domain's edit.
async fn move_all(act: &Act<'_>, tx: &mut WriteTx, from: UserId, to: &[UserId]) -> AppResult<BookMoved> {
    let today = act.ctx.today();
    let mut territories: Vec<(UserId, HashSet<TerritoryId>)> = Vec::new();
    for rep in to {
        territories.push((*rep, store::territories_of(tx, *rep, today).await?.into_iter().collect()));
    }
    let first = to[0];
    let for_territory = |territory: Option<TerritoryId>| {
        territory
            .and_then(|t| territories.iter().find(|(_, held)| held.contains(&t)).map(|(rep, _)| *rep))
            .unwrap_or(first)
    };
    let held = held(tx, from).await?;
    let mut counts: HashMap<UserId, Book> = HashMap::new();
    let mut contact_goes: HashMap<ContactId, UserId> = HashMap::new();
    for (id, territory) in &held.contacts {
        let rep = for_territory(*territory);
        contacts::actions::edit(act, tx, *id, &ContactForUpdate { owner_id: Some(Some(rep)), ..Default::default() })
            .await?;
        contact_goes.insert(*id, rep);
        counts.entry(rep).or_default().contacts += 1;
    }
    // What belongs to a contact follows it; a contact not in the book (someone else's) keeps
    // its owner, and the record goes where its territory says.
    let follow = |contact: Option<ContactId>| contact.and_then(|c| contact_goes.get(&c).copied()).unwrap_or(first);
    for (id, contact) in &held.deals {
        let rep = follow(*contact);
        deals::actions::change(act, tx, *id, &DealForUpdate { owner_id: Some(rep), ..Default::default() }).await?;
        counts.entry(rep).or_default().open_deals += 1;
    }
    for (id, contact) in &held.tasks {
        let rep = follow(*contact);
        tasks::actions::edit(act, tx, *id, &TaskForUpdate { assignee_id: Some(rep), ..Default::default() }).await?;
        counts.entry(rep).or_default().open_tasks += 1;
    }
    for (id, contact) in &held.appointments {
        let rep = follow(*contact);
        let change = AppointmentForUpdate { assignee_id: Some(rep), ..Default::default() };
        appointments::actions::change(act, tx, *id, &change).await?;
        counts.entry(rep).or_default().upcoming_appointments += 1;
    }
    Ok(BookMoved {
        to: to.iter().map(|rep| MovedTo { rep_id: *rep, book: counts.remove(rep).unwrap_or_default() }).collect(),
    })
}

mod store {
    //! The SQL of a book: plain reads of ids, inside the move's transaction.
    use crate::db::{parse_id, parse_opt_id, StoreResult, WriteTx};
    use fieldwork_app::common::{AppointmentId, ContactId, DealId, TaskId, TerritoryId, UserId};

    /// `(id, other)` pairs from a query of two text columns with the rep's id as `$1`.
    async fn pairs<A: std::str::FromStr, B: std::str::FromStr>(
        tx: &mut WriteTx,
        sql: &str,
        rep: &str,
        now: Option<i64>,
    ) -> StoreResult<Vec<(A, Option<B>)>> {
        let mut query = sqlx::query_as(sql).bind(rep);
        if let Some(now) = now {
            query = query.bind(now);
        }
        let rows: Vec<(String, Option<String>)> = query.fetch_all(tx.conn()).await?;
        rows.into_iter()
            .map(|(a, b)| Ok((parse_id(&a, "book.id")?, parse_opt_id(b.as_deref(), "book.other")?)))
            .collect()
    }

    /// The rep's contacts, with their territory.
    pub async fn contacts_of(tx: &mut WriteTx, rep: &str) -> StoreResult<Vec<(ContactId, Option<TerritoryId>)>> {
        pairs(tx, "SELECT id, territory_id FROM contacts WHERE owner_id = $1 AND deleted = 0", rep, None).await
    }

    /// The rep's deals not won or lost, with their contact.
    pub async fn open_deals_of(tx: &mut WriteTx, rep: &str) -> StoreResult<Vec<(DealId, Option<ContactId>)>> {
        let sql =
            "SELECT id, contact_id FROM deals WHERE owner_id = $1 AND deleted = 0 AND stage NOT IN ('won', 'lost')";
        pairs(tx, sql, rep, None).await
    }

    /// The rep's follow-ups not done, with their contact.
    pub async fn open_tasks_of(tx: &mut WriteTx, rep: &str) -> StoreResult<Vec<(TaskId, Option<ContactId>)>> {
        pairs(tx, "SELECT id, contact_id FROM tasks WHERE assignee_id = $1 AND deleted = 0 AND done = 0", rep, None)
            .await
    }

    /// The rep's scheduled appointments starting after `now`, with their contact.
    pub async fn upcoming_of(
        tx: &mut WriteTx,
        rep: &str,
        now: i64,
    ) -> StoreResult<Vec<(AppointmentId, Option<ContactId>)>> {
        let sql = "SELECT id, contact_id FROM appointments \
                   WHERE assignee_id = $1 AND deleted = 0 AND status = 'scheduled' AND starts_at > $2";
        pairs(tx, sql, rep, Some(now)).await
    }

    /// The territories assigned to `rep` on `today`.
    pub async fn territories_of(
        tx: &mut WriteTx,
        rep: UserId,
        today: chrono::NaiveDate,
    ) -> StoreResult<Vec<TerritoryId>> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT territory_id FROM territory_assignments WHERE user_id = $1 AND deleted = 0 \
             AND starts_on <= $2 AND (ends_on IS NULL OR ends_on > $2)",
        )
        .bind(rep.to_string())
        .bind(today.to_string())
        .fetch_all(tx.conn())
        .await?;
        rows.iter().map(|t| parse_id(t, "territory_assignments.territory_id")).collect()
    }
}
