//! `/api/v1/territories`: read by everyone signed in (the map draws them); created, reshaped,
//! imported, assigned and deleted by managers, office staff and admins. Every change places
//! the affected contacts and listings again, in the same transaction, and then swaps in the
//! new index.

use super::{assign, geometry, store};
use crate::auth::Ctx;
use crate::error::{field_error, ApiJson, AppError, AppResult};
use crate::{audit, state::AppState};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::common::{ErrorBody, FieldError, FieldErrors, TerritoryId};
use fieldwork_app::territories::{
    parse_colour, parse_name, rebalance, Assignee, AssigneesInput, RejectedFeature, RepOption, Territory,
    TerritoryForCreate, TerritoryForUpdate, TerritoryImport, TerritoryImportResult, TerritoryStats, Workload, PALETTE,
};
use fieldwork_app::users::Role;
use geo::BoundingRect;
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

/// Create a territory from a GeoJSON Polygon or MultiPolygon. An invalid shape is refused with
/// the place it goes wrong (`fields.geometry`), and nothing is stored.
#[utoipa::path(post, path = "/territories", tag = "territories", request_body = TerritoryForCreate,
    responses((status = 201, body = Territory), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn create_territory(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<TerritoryForCreate>,
) -> AppResult<impl IntoResponse> {
    ctx.require_not_rep()?;
    let mut e = FieldErrors::new();
    let name = e.check("name", parse_name(&body.name));
    let colour = body.colour.as_deref().and_then(|c| e.check("colour", parse_colour(c)));
    let shape = match geometry::parse(&body.geometry) {
        Ok(shape) => Some(shape),
        Err(se) => {
            e.add("geometry", FieldError::InvalidShape { reason: se.to_string() });
            None
        }
    };
    let (name, shape) = e.into_result(|| (name.unwrap_or_default(), shape)).map_err(AppError::Validation)?;
    let mut tx = state.db.begin_write().await?;
    if let Some(parent) = body.parent_id {
        store::get(tx.conn(), parent).await.map_err(|e| field_error(e, "parent_id"))?;
    }
    let colour = match colour {
        Some(c) => c,
        None => PALETTE[usize::try_from(store::count(tx.conn()).await?).unwrap_or(0) % PALETTE.len()].to_string(),
    };
    let territory = store::insert(&mut tx, &name, &colour, body.parent_id, &body.geometry).await?;
    let index = super::load(tx.conn()).await?;
    let areas: Vec<_> = shape.and_then(|s| s.bounding_rect()).into_iter().collect();
    let moved = assign::reassign(&mut tx, &index, &areas).await?;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "territory",
        &territory.id.to_string(),
        "create",
        serde_json::json!({"name": territory.name, "contacts_moved": moved.contacts, "listings_moved": moved.listings}),
    )
    .await?;
    tx.commit().await?;
    state.territories.replace(index);
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
    ctx.require_not_rep()?;
    let mut e = FieldErrors::new();
    let name = body.name.as_deref().and_then(|n| e.check("name", parse_name(n)));
    let colour = body.colour.as_deref().and_then(|c| e.check("colour", parse_colour(c)));
    let shape = match body.geometry.as_ref().map(geometry::parse) {
        Some(Ok(shape)) => Some(shape),
        Some(Err(se)) => {
            e.add("geometry", FieldError::InvalidShape { reason: se.to_string() });
            None
        }
        None => None,
    };
    e.into_result(|| ()).map_err(AppError::Validation)?;
    let mut tx = state.db.begin_write().await?;
    let current = store::get(tx.conn(), id).await?;
    if body.base_version.is_some_and(|v| v != current.version) {
        return Err(AppError::Conflict("the territory changed since you loaded it".into()));
    }
    if let Some(Some(parent)) = body.parent_id {
        store::get(tx.conn(), parent).await.map_err(|e| field_error(e, "parent_id"))?;
        if store::would_cycle(&mut tx, id, parent).await? {
            return Err(AppError::invalid("parent_id", FieldError::NotAllowed));
        }
    }
    let mut next = current.clone();
    if let Some(name) = name {
        next.name = name;
    }
    if let Some(colour) = colour {
        next.colour = colour;
    }
    if let Some(parent) = body.parent_id {
        next.parent_id = parent;
    }
    let mut areas = Vec::new();
    if let (Some(shape), Some(geometry)) = (&shape, &body.geometry) {
        areas.extend(geometry::read(&current.geometry).ok().and_then(|old| old.bounding_rect()));
        areas.extend(shape.bounding_rect());
        next.geometry = geometry.clone();
    }
    let updated = store::update(&mut tx, &next).await?;
    let index = super::load(tx.conn()).await?;
    let moved = assign::reassign(&mut tx, &index, &areas).await?;
    let mut changes = audit::diff(&current, &updated);
    if let Some(map) = changes.as_object_mut() {
        if map.contains_key("geometry") {
            map.insert("geometry".into(), serde_json::json!("reshaped"));
        }
        map.insert("contacts_moved".into(), moved.contacts.into());
        map.insert("listings_moved".into(), moved.listings.into());
    }
    audit::record(&mut tx, Some(ctx.user_id()), "territory", &id.to_string(), "update", changes).await?;
    tx.commit().await?;
    state.territories.replace(index);
    Ok(Json(updated))
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
    ctx.require_not_rep()?;
    let mut tx = state.db.begin_write().await?;
    let current = store::get(tx.conn(), id).await?;
    store::delete(&mut tx, id, ctx.today()).await?;
    let index = super::load(tx.conn()).await?;
    let areas: Vec<_> = geometry::read(&current.geometry).ok().and_then(|s| s.bounding_rect()).into_iter().collect();
    let moved = assign::reassign(&mut tx, &index, &areas).await?;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "territory",
        &id.to_string(),
        "delete",
        serde_json::json!({"name": current.name, "contacts_moved": moved.contacts, "listings_moved": moved.listings}),
    )
    .await?;
    tx.commit().await?;
    state.territories.replace(index);
    Ok(StatusCode::NO_CONTENT)
}

/// Create one territory per feature of a GeoJSON FeatureCollection, named by the feature
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
    ctx.require_not_rep()?;
    let mut e = FieldErrors::new();
    if body.name_property.trim().is_empty() {
        e.add("name_property", FieldError::Required);
    }
    let collection: Option<geojson::FeatureCollection> = match serde_json::from_value(body.collection.clone()) {
        Ok(c) => Some(c),
        Err(_) => {
            e.add("collection", FieldError::InvalidShape { reason: "must be a GeoJSON FeatureCollection".into() });
            None
        }
    };
    let collection = e.into_result(|| collection.unwrap_or_default()).map_err(AppError::Validation)?;
    let mut result = TerritoryImportResult::default();
    let mut tx = state.db.begin_write().await?;
    if let Some(parent) = body.parent_id {
        store::get(tx.conn(), parent).await.map_err(|e| field_error(e, "parent_id"))?;
    }
    let mut count = usize::try_from(store::count(tx.conn()).await?).unwrap_or(0);
    let mut areas = Vec::new();
    for (index, feature) in collection.features.iter().enumerate() {
        let name = feature.properties.as_ref().and_then(|p| p.get(body.name_property.trim())).and_then(|v| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        let reject = |reason: String| RejectedFeature { index, name: name.clone(), reason };
        let Some(name) = name.as_deref().map(parse_name) else {
            result.rejected.push(reject(format!("has no {} property", body.name_property.trim())));
            continue;
        };
        let name = match name {
            Ok(n) => n,
            Err(e) => {
                result.rejected.push(reject(format!("name {}", e.message())));
                continue;
            }
        };
        let Some(geometry) = feature.geometry.as_ref() else {
            result.rejected.push(reject("has no geometry".into()));
            continue;
        };
        let value = serde_json::to_value(geometry).unwrap_or_default();
        match geometry::parse(&value) {
            Ok(shape) => {
                areas.extend(shape.bounding_rect());
                let colour = PALETTE[count % PALETTE.len()];
                count += 1;
                result.created.push(store::insert(&mut tx, &name, colour, body.parent_id, &value).await?);
            }
            Err(se) => result.rejected.push(reject(se.to_string())),
        }
    }
    let index = super::load(tx.conn()).await?;
    let moved = assign::reassign(&mut tx, &index, &areas).await?;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "territory",
        "import",
        "import",
        serde_json::json!({"created": result.created.len(), "rejected": result.rejected.len(),
            "contacts_moved": moved.contacts, "listings_moved": moved.listings}),
    )
    .await?;
    tx.commit().await?;
    state.territories.replace(index);
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
    ctx.require_not_rep()?;
    let today = ctx.today();
    let scope = ctx.scope(&state.db).await?.clone();
    let mut e = FieldErrors::new();
    for (i, a) in body.assignees.iter().enumerate() {
        let field = format!("assignees.{i}");
        match crate::users::store::by_id(&state.db, a.user_id).await {
            Ok(user) if user.active && user.role == Role::Rep && scope.covers_user(a.user_id) => {}
            _ => e.add(&format!("{field}.user_id"), FieldError::NotAllowed),
        }
        let starts = a.starts_on.unwrap_or(today);
        if a.ends_on.is_some_and(|end| end <= starts) {
            e.add(&format!("{field}.ends_on"), FieldError::NotAllowed);
        }
        if body.assignees[..i].iter().any(|b| b.user_id == a.user_id) {
            e.add(&format!("{field}.user_id"), FieldError::Taken);
        }
    }
    e.into_result(|| ()).map_err(AppError::Validation)?;
    let mut tx = state.db.begin_write().await?;
    let territory = store::get(tx.conn(), id).await?;
    let keep: Vec<_> = body.assignees.iter().map(|a| a.user_id).collect();
    let before = store::assignees(tx.conn(), id, today).await?;
    store::end_assignments(&mut tx, id, &keep, today).await?;
    for a in &body.assignees {
        store::upsert_assignment(&mut tx, id, a.user_id, a.starts_on.unwrap_or(today), a.ends_on, today).await?;
    }
    let after = store::assignees(tx.conn(), id, today).await?;
    for a in body.assignees.iter().filter(|a| !before.iter().any(|b| b.user_id == a.user_id)) {
        let user = crate::users::store::by_id(&state.db, a.user_id).await?;
        let starts_on = a.starts_on.unwrap_or(today);
        let notice = crate::notifications::Notice::Territory {
            territory: id.to_string(),
            name: territory.name.clone(),
            starts_on,
        };
        let key = format!("territory:{id}:{}:{starts_on}", a.user_id);
        crate::notifications::notify(&mut tx, &state.settings.link_base(), &user, &notice, &key).await?;
    }
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "territory",
        &id.to_string(),
        "assign",
        serde_json::json!({"before": before, "after": after}),
    )
    .await?;
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
