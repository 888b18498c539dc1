//! `/api/v1/territories`: read by everyone signed in (the map draws them); created, reshaped,
//! imported, assigned and deleted by managers, office staff and admins through
//! [`super::actions`], which place the affected contacts and listings again, in the same
//! transaction, and swap in the new index once it has committed.

use super::{actions, store};
use crate::act::Act;
use crate::auth::Ctx;
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::common::{ErrorBody, TerritoryId};
use fieldwork_app::territories::{
    rebalance, Assignee, AssigneesInput, RepOption, Territory, TerritoryForCreate, TerritoryForUpdate, TerritoryImport,
    TerritoryImportResult, TerritoryStats, Workload,
};
use fieldwork_app::users::Role;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_territories, create_territory))
        .routes(routes!(get_territory, update_territory, delete_territory))
        .routes(routes!(import_territories))
        .routes(routes!(get_assignees, put_assignees))
        .routes(routes!(territory_stats))
        .routes(routes!(territory_workload))
        .routes(routes!(assignable_reps))
        // Detailed outlines are large: a FeatureCollection of 3,000 counties is 3 MB.
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
}

/// The largest territory request accepted.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// Every territory, by name.
#[utoipa::path(get, path = "/territories", tag = "territories",
    responses((status = 200, body = Vec<Territory>), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_territories(State(state): State<AppState>, _ctx: Ctx) -> AppResult<Json<Vec<Territory>>> {
    Ok(Json(store::list(state.db.pool()).await?))
}

#[utoipa::path(get, path = "/territories/{id}", tag = "territories", params(("id" = String, Path)),
    responses((status = 200, body = Territory), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn get_territory(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<TerritoryId>,
) -> AppResult<Json<Territory>> {
    visible(&state, &ctx, id).await?;
    Ok(Json(store::get(state.db.pool(), id).await?))
}

/// A rep reads only the territories assigned to them (their outlines are on everyone's map, but
/// who works another territory and what it holds are not theirs to see: 403, since the
/// territory's existence is no secret); others read all.
async fn visible(state: &AppState, ctx: &Ctx, id: TerritoryId) -> AppResult<()> {
    if ctx.role() != Role::Rep {
        return Ok(());
    }
    let parts = ctx.scope(&state.db).await?.clone().parts(&state.db).await?.unwrap_or_default();
    let id = id.to_string();
    if parts.iter().any(|(part, t)| *part == crate::scope::Part::Territory && *t == id) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Create a territory from a `GeoJSON` Polygon or `MultiPolygon`. An invalid shape is refused with
/// the place it goes wrong (`fields.geometry`), and nothing is stored.
#[utoipa::path(post, path = "/territories", tag = "territories", request_body = TerritoryForCreate,
    responses((status = 201, body = Territory), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn create_territory(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<TerritoryForCreate>,
) -> AppResult<impl IntoResponse> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let territory = actions::create(&act, &mut tx, &body).await?;
    tx.commit().await?;
    act.committed().await;
    Ok((StatusCode::CREATED, Json(territory)))
}

/// Rename, recolour, move into another region, or reshape a territory. Reshaping places the
/// contacts and listings in its old and new outline again.
#[utoipa::path(patch, path = "/territories/{id}", tag = "territories", params(("id" = String, Path)),
    request_body = TerritoryForUpdate,
    responses((status = 200, body = Territory), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn update_territory(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<TerritoryId>,
    ApiJson(body): ApiJson<TerritoryForUpdate>,
) -> AppResult<Json<Territory>> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let territory = actions::edit(&act, &mut tx, id, &body).await?;
    tx.commit().await?;
    act.committed().await;
    Ok(Json(territory))
}

/// Delete a territory: its contacts and listings fall to whatever else holds them (a region,
/// or none), its sub-territories leave it, and its assignments end today.
#[utoipa::path(delete, path = "/territories/{id}", tag = "territories", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn delete_territory(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<TerritoryId>,
) -> AppResult<StatusCode> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    actions::delete(&act, &mut tx, id).await?;
    tx.commit().await?;
    act.committed().await;
    Ok(StatusCode::NO_CONTENT)
}

/// Create one territory per feature of a `GeoJSON` `FeatureCollection`, named by the feature
/// property `name_property`. Valid features are created; the others are listed with the
/// reason (which says where their geometry goes wrong).
#[utoipa::path(post, path = "/territories/import", tag = "territories", request_body = TerritoryImport,
    responses((status = 200, body = TerritoryImportResult), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn import_territories(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<TerritoryImport>,
) -> AppResult<Json<TerritoryImportResult>> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let result = actions::import(&act, &mut tx, &body).await?;
    tx.commit().await?;
    act.committed().await;
    Ok(Json(result))
}

/// The reps assigned to a territory now or from a later date.
#[utoipa::path(get, path = "/territories/{id}/assignees", tag = "territories", params(("id" = String, Path)),
    responses((status = 200, body = Vec<Assignee>), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn get_assignees(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<TerritoryId>,
) -> AppResult<Json<Vec<Assignee>>> {
    visible(&state, &ctx, id).await?;
    store::get(state.db.pool(), id).await?;
    Ok(Json(store::assignees(state.db.pool(), id, ctx.today()).await?))
}

/// Set who covers a territory: each listed rep from `starts_on` (default today) until
/// `ends_on` (open if absent). Reps not listed stop today; past assignments stay as history.
/// A manager assigns their own team.
#[utoipa::path(put, path = "/territories/{id}/assignees", tag = "territories", params(("id" = String, Path)),
    request_body = AssigneesInput,
    responses((status = 200, body = Vec<Assignee>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn put_assignees(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<TerritoryId>,
    ApiJson(body): ApiJson<AssigneesInput>,
) -> AppResult<Json<Vec<Assignee>>> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let after = actions::assign(&act, &mut tx, id, &body).await?;
    tx.commit().await?;
    Ok(Json(after))
}

/// Counts for a territory: contacts, listings, open deals, visits in the last 30 days, and
/// the reps assigned today.
#[utoipa::path(get, path = "/territories/{id}/stats", tag = "territories", params(("id" = String, Path)),
    responses((status = 200, body = TerritoryStats), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn territory_stats(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<TerritoryId>,
) -> AppResult<Json<TerritoryStats>> {
    visible(&state, &ctx, id).await?;
    store::get(state.db.pool(), id).await?;
    let since = (chrono::Utc::now() - chrono::Duration::days(30)).timestamp_millis();
    Ok(Json(store::stats(&state.db, id, since, ctx.today()).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct WorkloadParams {
    /// The region whose territories are compared (default: every territory).
    region: Option<TerritoryId>,
}

/// Rebalancing aid: each territory's contacts and visits (last 30 days) per assigned rep,
/// against the mean of the region's staffed territories — over-loaded, under-loaded, even, or
/// unstaffed. Most loaded first.
#[utoipa::path(get, path = "/territories/workload", tag = "territories", params(WorkloadParams),
    responses((status = 200, body = Workload), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn territory_workload(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<WorkloadParams>,
) -> AppResult<Json<Workload>> {
    ctx.require_not_rep()?;
    if let Some(region) = params.region {
        store::get(state.db.pool(), region).await?;
    }
    let since = (chrono::Utc::now() - chrono::Duration::days(30)).timestamp_millis();
    let loads = store::workload(&state.db, params.region, since, ctx.today()).await?;
    Ok(Json(rebalance(params.region, loads)))
}

/// The reps the caller may assign to territories (a manager: their team).
#[utoipa::path(get, path = "/territories/reps", tag = "territories",
    responses((status = 200, body = Vec<RepOption>), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn assignable_reps(State(state): State<AppState>, ctx: Ctx) -> AppResult<Json<Vec<RepOption>>> {
    ctx.require_not_rep()?;
    let scope = ctx.scope(&state.db).await?.clone();
    let reps = store::active_reps(&state.db).await?.into_iter().filter(|r| scope.covers_user(r.id)).collect();
    Ok(Json(reps))
}
