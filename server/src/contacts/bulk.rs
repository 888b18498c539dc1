//! `/api/v1/contacts/bulk`: one change on many contacts from the desk's table, in batches, with
//! progress, and *Undo* for an hour after (`fieldwork_app::contacts::bulk` has the rules).
//!
//! A run is written to the database first (every selected contact as a pending item), then
//! worked through in batches of [`BATCH`], each its own transaction: every contact is changed
//! by the same edit a single change takes (scope, rules, audit, a new sync version), inside a
//! savepoint, so a contact that may not change is left as it was and the batch goes on. A run
//! whose server stopped is taken over by the background worker of any server
//! ([`resume_stalled`]).

use super::bulk_store::{self as store, Run};
use crate::act::Act;
use crate::auth::{AuthVia, Ctx};
use crate::db::now_ms;
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use fieldwork_app::common::{ErrorBody, FieldError, FieldErrors};
use fieldwork_app::contacts::bulk::{BulkJob, BulkRequest, BulkState, Selection, UNDO_MINUTES};
use fieldwork_app::users::Role;
use utoipa_axum::{router::OpenApiRouter, routes};

/// Contacts changed per transaction: short write locks, and progress the desk can show.
const BATCH: i64 = 100;
/// Most contacts one run over "all matching" takes.
pub const MAX_MATCHING: usize = 50_000;
/// A run whose heartbeat is older than this is taken over.
const STALLED_MS: i64 = 60_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(start)).routes(routes!(progress)).routes(routes!(undo))
}

/// Starts a change on many contacts: the ids given (at most 1,000), or every contact the
/// list's filter matches (at most 50,000). Office staff, managers and admins; every contact
/// must be in the caller's scope. Answers at once with the run; `GET …/bulk/{id}` follows it.
#[utoipa::path(post, path = "/contacts/bulk", tag = "contacts", request_body = BulkRequest,
    responses((status = 202, body = BulkJob), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn start(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<BulkRequest>,
) -> AppResult<(StatusCode, Json<BulkJob>)> {
    ctx.require_not_rep()?;
    body.validate().map_err(AppError::Validation)?;
    let scope = ctx.scope(&state.db).await?.clone();
    if let fieldwork_app::contacts::bulk::BulkChange::AssignOwner { owner_id } = &body.change {
        crate::scope::check_user(&state.db, &scope, *owner_id, "change.owner_id").await?;
    }
    let ids: Vec<String> = match &body.selection {
        Selection::Ids(ids) => {
            let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
            let found = store::in_scope(&state.db, &scope, &ids).await?;
            if ids.iter().any(|id| !found.contains(id)) {
                return Err(AppError::NotFound);
            }
            let mut seen = std::collections::HashSet::new();
            ids.into_iter().filter(|id| seen.insert(id.clone())).collect()
        }
        Selection::Matching(query) => {
            let mut filter = query.filter().map_err(AppError::Validation)?;
            filter.q = None;
            filter.custom = crate::fields::actions::conditions(
                &state.db,
                fieldwork_app::fields::RecordType::Contact,
                query.custom.as_deref(),
            )
            .await?;
            let limit = i64::try_from(MAX_MATCHING + 1).unwrap_or(i64::MAX);
            let ids = super::store::ids_matching(&state.db, &scope, &filter, limit).await?;
            if ids.len() > MAX_MATCHING {
                let mut e = FieldErrors::new();
                e.add("selection", FieldError::TooMany { max: MAX_MATCHING });
                return Err(AppError::Validation(e));
            }
            ids
        }
    };
    let id = uuid::Uuid::now_v7();
    let mut tx = state.db.begin_write().await?;
    store::create(&mut tx, id, ctx.user_id(), &body.change, &body.selection, &ids).await?;
    tx.commit().await?;
    let run = store::get(&state.db, &id.to_string()).await?;
    spawn(state, ctx, run.job.id.to_string());
    Ok((StatusCode::ACCEPTED, Json(run.job)))
}

/// How far a run has got. Only the user who started it (and admins) may follow it.
#[utoipa::path(get, path = "/contacts/bulk/{id}", tag = "contacts", params(("id" = String, Path)),
    responses((status = 200, body = BulkJob), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn progress(State(state): State<AppState>, ctx: Ctx, Path(id): Path<uuid::Uuid>) -> AppResult<Json<BulkJob>> {
    Ok(Json(own_run(&state, &ctx, id).await?.job))
}

/// Puts back what a finished run changed, within an hour of its end: on every contact whose
/// changed fields still hold what the run set (one changed since keeps its new values).
#[utoipa::path(post, path = "/contacts/bulk/{id}/undo", tag = "contacts", params(("id" = String, Path)),
    responses((status = 202, body = BulkJob), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn undo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<uuid::Uuid>,
) -> AppResult<(StatusCode, Json<BulkJob>)> {
    let run = own_run(&state, &ctx, id).await?;
    if run.job.undo_until.is_none_or(|until| until.timestamp_millis() < now_ms()) {
        return Err(AppError::Conflict("this change can no longer be undone".into()));
    }
    let mut tx = state.db.begin_write().await?;
    let moved = store::set_state(&mut tx, &id.to_string(), BulkState::Done, BulkState::Undoing, None).await?;
    tx.commit().await?;
    if !moved {
        return Err(AppError::Conflict("this change is already being undone".into()));
    }
    let run = store::get(&state.db, &id.to_string()).await?;
    spawn(state, ctx, id.to_string());
    Ok((StatusCode::ACCEPTED, Json(run.job)))
}

async fn own_run(state: &AppState, ctx: &Ctx, id: uuid::Uuid) -> AppResult<Run> {
    let run = store::get(&state.db, &id.to_string()).await?;
    if run.user != ctx.user_id() && ctx.role() != Role::Admin {
        return Err(AppError::NotFound);
    }
    Ok(run)
}

/// Works on the run in the background until it is done (or undone).
fn spawn(state: AppState, ctx: Ctx, run: String) {
    tokio::spawn(async move {
        if let Err(e) = work(&state, &ctx, &run).await {
            // The heartbeat stops; another round takes the run over.
            tracing::warn!(error = %e, run, "bulk run stopped; it will be taken over");
        }
    });
}

/// Runs that stopped with their server, taken over by this one (the background worker calls
/// this every round): how many were taken.
pub async fn resume_stalled(state: &AppState) -> crate::db::StoreResult<usize> {
    let mut taken = 0;
    for run in store::stalled(&state.db, now_ms() - STALLED_MS).await? {
        if !store::claim(&state.db, &run.job.id.to_string(), run.heartbeat).await? {
            continue;
        }
        let user = crate::users::store::by_id(&state.db, run.user).await?;
        let ctx = Ctx::new(user, AuthVia::Session { token_hash: String::new() });
        spawn(state.clone(), ctx, run.job.id.to_string());
        taken += 1;
    }
    Ok(taken)
}

/// Batch after batch until nothing is left, then the run's end.
async fn work(state: &AppState, ctx: &Ctx, run: &str) -> AppResult<()> {
    loop {
        let current = store::get(&state.db, run).await?;
        let finished = match current.job.state {
            BulkState::Running => change_batch(state, ctx, run, &current.job).await?,
            BulkState::Undoing => restore_batch(state, ctx, run).await?,
            BulkState::Done | BulkState::Undone => return Ok(()),
        };
        if finished {
            let mut tx = state.db.begin_write().await?;
            match current.job.state {
                BulkState::Running => {
                    let until = now_ms() + UNDO_MINUTES * 60_000;
                    store::set_state(&mut tx, run, BulkState::Running, BulkState::Done, Some(until)).await?;
                }
                _ => {
                    store::set_state(&mut tx, run, BulkState::Undoing, BulkState::Undone, None).await?;
                }
            }
            tx.commit().await?;
            return Ok(());
        }
    }
}

/// Changes the next batch; true when there was nothing left.
async fn change_batch(state: &AppState, ctx: &Ctx, run: &str, job: &BulkJob) -> AppResult<bool> {
    let act = Act::new(state, ctx);
    let mut tx = state.db.begin_write().await?;
    let items = store::pending(&mut tx, run, BATCH).await?;
    if items.is_empty() {
        return Ok(true);
    }
    let (mut changed, mut unchanged) = (0, 0);
    for (seq, id) in &items {
        tx.savepoint("bulk_item").await?;
        let waiting = act.waiting();
        let scope = act.scope().await?;
        let outcome = match super::store::get(tx.conn(), scope, &id.to_string()).await {
            Ok(contact) => match job.change.step(&contact) {
                Some(step) => super::actions::edit(&act, &mut tx, *id, &step.after).await.map(|_| Some(step)),
                None => Ok(None),
            },
            Err(e) => Err(e.into()),
        };
        match outcome {
            Ok(Some(step)) => {
                tx.release("bulk_item").await?;
                store::mark(&mut tx, run, *seq, "changed", Some(&step)).await?;
                changed += 1;
            }
            Ok(None) => {
                tx.release("bulk_item").await?;
                store::mark(&mut tx, run, *seq, "unchanged", None).await?;
                unchanged += 1;
            }
            // Not allowed for this contact (gone, out of scope now, a rule of its own): left
            // as it was.
            Err(AppError::NotFound | AppError::Validation(_) | AppError::Conflict(_) | AppError::Forbidden) => {
                tx.rollback_to("bulk_item").await?;
                act.forget_since(waiting);
                store::mark(&mut tx, run, *seq, "unchanged", None).await?;
                unchanged += 1;
            }
            Err(e) => return Err(e),
        }
    }
    store::progress(&mut tx, run, items.len() as i64, changed, unchanged, 0).await?;
    tx.commit().await?;
    act.committed().await;
    Ok(false)
}

/// Puts back the next batch; true when there was nothing left.
async fn restore_batch(state: &AppState, ctx: &Ctx, run: &str) -> AppResult<bool> {
    let act = Act::new(state, ctx);
    let mut tx = state.db.begin_write().await?;
    let items = store::to_restore(&mut tx, run, BATCH).await?;
    if items.is_empty() {
        return Ok(true);
    }
    let mut restored = 0;
    for (seq, id, step) in &items {
        tx.savepoint("bulk_item").await?;
        let waiting = act.waiting();
        let scope = act.scope().await?;
        let outcome = match super::store::get(tx.conn(), scope, &id.to_string()).await {
            Ok(contact) if step.still_set(&contact) => {
                super::actions::put_back(&act, &mut tx, *id, &step.before).await.map(|_| true)
            }
            Ok(_) => Ok(false),
            Err(e) => Err(e.into()),
        };
        match outcome {
            Ok(true) => {
                tx.release("bulk_item").await?;
                store::mark(&mut tx, run, *seq, "restored", None).await?;
                restored += 1;
            }
            Ok(false) => {
                tx.release("bulk_item").await?;
                store::mark(&mut tx, run, *seq, "kept", None).await?;
            }
            Err(AppError::NotFound | AppError::Validation(_) | AppError::Conflict(_) | AppError::Forbidden) => {
                tx.rollback_to("bulk_item").await?;
                act.forget_since(waiting);
                store::mark(&mut tx, run, *seq, "kept", None).await?;
            }
            Err(e) => return Err(e),
        }
    }
    store::progress(&mut tx, run, 0, 0, 0, restored).await?;
    tx.commit().await?;
    act.committed().await;
    Ok(false)
}
