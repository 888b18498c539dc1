//! `/api/v1/sync`: `POST /push` applies a device's mutations; `GET /pull` pages through the
//! changes of the user's scope. `docs/architecture.md` ("The life of a sync push") tells the contract.

use super::{conflicts, feed, push};
use crate::act::Act;
use crate::auth::Ctx;
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use fieldwork_app::common::ErrorBody;
use fieldwork_app::sync::{Conflict, PullPage, PushRequest, PushResponse, MAX_PUSH, OLDEST_PROTOCOL, PULL_PAGE};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(push)).routes(routes!(pull)).routes(routes!(open_conflicts))
}

/// A client id: what a browser install made up once (a UUID); nothing else is accepted.
fn client_id(raw: &str) -> AppResult<String> {
    uuid::Uuid::parse_str(raw.trim()).map(|u| u.to_string()).map_err(|_| {
        AppError::invalid("client_id", fieldwork_app::common::FieldError::Invalid { reason: "not a UUID".into() })
    })
}

/// Apply a device's mutations in order, each exactly once. Mutations the server already has
/// answer `duplicate`; the push stops at a gap in the ids; each applied one answers
/// `applied`, `conflict` (some fields stayed as someone else set them first; the conflicts
/// are kept for the user) or `rejected` (a business rule; the queue moves on). Any other
/// failure answers 5xx and nothing of the push is kept: send it again.
#[utoipa::path(post, path = "/sync/push", tag = "sync", request_body = PushRequest,
    responses((status = 200, body = PushResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 426, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn push(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<PushRequest>,
) -> AppResult<Json<PushResponse>> {
    supported(body.protocol)?;
    let client = client_id(&body.client_id)?;
    if body.mutations.len() > MAX_PUSH {
        return Err(AppError::BadRequest(format!("send at most {MAX_PUSH} mutations per push")));
    }
    if body
        .mutations
        .iter()
        .any(|m| m.client_id.as_deref().is_some_and(|c| client_id(c).ok().as_ref() != Some(&client)))
    {
        return Err(AppError::BadRequest("every mutation must come from the push's client_id".into()));
    }
    let mut mutations = body.mutations;
    mutations.sort_by_key(|m| m.mutation_id);
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let mut last = push::claim_client(&mut tx, &client, &ctx).await?;
    let epoch = feed::epoch(&state.db).await?;
    // Restored from a backup since the device last pushed: what it sent after the backup is
    // gone with the old database, so its next mutation follows whatever the server has.
    let mut restarted = body.server_epoch.as_deref().is_some_and(|seen| seen != epoch);
    let mut results = Vec::with_capacity(mutations.len());
    for m in &mutations {
        if m.mutation_id <= last {
            results.push(fieldwork_app::sync::MutationResult {
                mutation_id: m.mutation_id,
                outcome: fieldwork_app::sync::Outcome::Duplicate,
                record: None,
                conflicts: vec![],
                message: None,
                fields: None,
            });
            continue;
        }
        if m.mutation_id != last + 1 && !restarted {
            break; // a gap: the missing one must come first
        }
        restarted = false;
        results.push(push::apply_one(&act, &mut tx, m).await?);
        last = m.mutation_id;
    }
    push::save_client(&mut tx, &client, last).await?;
    tx.commit().await?;
    act.committed().await;
    Ok(Json(PushResponse { results, last_mutation_id: last, server_epoch: epoch }))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct PullParams {
    /// Where the last page ended (absent: a full snapshot).
    cursor: Option<String>,
    /// This device's client id, to learn its `last_mutation_id`.
    client_id: Option<String>,
    /// The sync contract version the app speaks (absent: the current one).
    protocol: Option<u32>,
    /// Changes per page, 1–500 (default 500).
    limit: Option<i64>,
}

/// An app older than the oldest contract the server still speaks is told to update (426),
/// never given data it would misread.
fn supported(protocol: Option<u32>) -> AppResult<()> {
    match protocol {
        Some(p) if p < OLDEST_PROTOCOL => Err(AppError::UpdateRequired),
        _ => Ok(()),
    }
}

/// The changes of the caller's scope since `cursor`, oldest first: `put` with the record's
/// REST shape, `remove` for records deleted or out of scope. Office staff and admins keep
/// only their own records on a device.
#[utoipa::path(get, path = "/sync/pull", tag = "sync", params(PullParams),
    responses((status = 200, body = PullPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 426, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn pull(State(state): State<AppState>, ctx: Ctx, Query(params): Query<PullParams>) -> AppResult<Json<PullPage>> {
    supported(params.protocol)?;
    let limit = params.limit.unwrap_or(PULL_PAGE);
    if !(1..=PULL_PAGE).contains(&limit) {
        return Err(AppError::BadRequest(format!("limit must be between 1 and {PULL_PAGE}")));
    }
    let scope = feed::device_scope(&ctx.scope(&state.db).await?.clone(), ctx.user_id(), ctx.today());
    // Read first: every version up to `committed` has committed, so the page reads up to it
    // and a last page ends there; later versions come with the next pull.
    let (epoch, committed) = feed::head(&state.db).await?;
    let fingerprint = feed::fingerprint(&state.db, &scope).await?;
    let usable = params
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .and_then(feed::FeedCursor::decode)
        .filter(|c| c.epoch == epoch && c.fingerprint == fingerprint);
    let reset = usable.is_none();
    let (phase, after) = match usable {
        Some(c) => (c.phase, c.after),
        None => (feed::Phase::Snapshot { horizon: committed }, feed::Position::start()),
    };
    let (upto, snapshot) = match phase {
        feed::Phase::Snapshot { horizon } => (horizon, true),
        feed::Phase::Changes => (committed.max(after.version), false),
    };
    // A snapshot page reads hundreds of records on one connection. When a fleet of devices
    // starts over at once (after a restore, on the first morning) their pages take turns,
    // so the pool is never held by them all and no query waits for a connection until it
    // gives up; a device waits for its turn instead of getting a 503.
    let _turn = if snapshot {
        Some(state.snapshot_turns.acquire().await.map_err(|e| AppError::Internal(e.into()))?)
    } else {
        None
    };
    let page = feed::changes(&state.db, &scope, ctx.user_id(), (&after, upto), limit, snapshot).await?;
    // Where the next pull starts: after this page's last change while more wait; otherwise past
    // `upto`, in the changes phase (a finished snapshot goes on at once when its horizon is behind).
    let (next_phase, after, more) = match page.last {
        Some(last) => (phase, last, true),
        None => (feed::Phase::Changes, feed::Position::end_of(upto), snapshot && upto < committed),
    };
    let next = feed::FeedCursor { epoch: epoch.clone(), fingerprint, phase: next_phase, after };
    let last_mutation_id = match params.client_id.as_deref().map(client_id).transpose()? {
        Some(client) => last_mutation_of(&state, &ctx, &client).await?,
        None => 0,
    };
    Ok(Json(PullPage {
        changes: page.changes,
        cursor: next.encode(),
        more,
        // A first page without a usable cursor replaces what the device holds.
        reset,
        last_mutation_id,
        server_epoch: epoch,
    }))
}

async fn last_mutation_of(state: &AppState, ctx: &Ctx, client: &str) -> AppResult<i64> {
    let last: Option<i64> =
        sqlx::query_scalar("SELECT last_mutation_id FROM sync_clients WHERE client_id = $1 AND user_id = $2")
            .bind(client)
            .bind(ctx.user_id().to_string())
            .fetch_optional(state.db.pool())
            .await?;
    Ok(last.unwrap_or(0))
}

/// The caller's conflicts on one record that wait for a choice.
#[utoipa::path(get, path = "/sync/conflicts/{record_id}", tag = "sync", params(("record_id" = String, Path)),
    responses((status = 200, body = Vec<Conflict>), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn open_conflicts(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(record_id): Path<String>,
) -> AppResult<Json<Vec<Conflict>>> {
    Ok(Json(conflicts::open_on(&state.db, ctx.user_id(), &record_id).await?))
}
