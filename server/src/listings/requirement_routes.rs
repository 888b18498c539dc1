//! `/api/v1/contacts/{id}/requirements` and `/api/v1/contacts/{id}/matches`: what a buyer or
//! tenant is looking for, and the listings that suit them.

use super::matches;
use crate::auth::Ctx;
use crate::error::{ApiJson, AppError, AppResult};
use crate::scope::Scope;
use crate::{audit, contacts, state::AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use fieldwork_app::common::{ContactId, ErrorBody, FieldError};
use fieldwork_app::listings::{ListingMatch, Requirement, RequirementForPut, Transaction};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_requirements, put_requirement))
        .routes(routes!(delete_requirement))
        .routes(routes!(contact_matches))
}

async fn contact_in_scope(state: &AppState, ctx: &Ctx, id: ContactId) -> AppResult<Scope> {
    let scope = ctx.scope(&state.db).await?.clone();
    contacts::store::get(state.db.pool(), &scope, &id.to_string()).await?;
    Ok(scope)
}

/// The contact's requirements: at most one for buying and one for renting.
#[utoipa::path(get, path = "/contacts/{id}/requirements", tag = "contacts", params(("id" = String, Path)),
    responses((status = 200, body = Vec<Requirement>), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn get_requirements(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<ContactId>,
) -> AppResult<Json<Vec<Requirement>>> {
    contact_in_scope(&state, &ctx, id).await?;
    Ok(Json(matches::of_contact(&state.db, id).await?))
}

/// Set what the contact is looking for to buy or to rent (replacing the requirement for that
/// transaction). Only `transaction` is required.
#[utoipa::path(put, path = "/contacts/{id}/requirements", tag = "contacts", params(("id" = String, Path)),
    request_body = RequirementForPut,
    responses((status = 200, body = Requirement), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn put_requirement(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<ContactId>,
    ApiJson(body): ApiJson<RequirementForPut>,
) -> AppResult<Json<Requirement>> {
    let requirement = body.validate().map_err(AppError::Validation)?;
    contact_in_scope(&state, &ctx, id).await?;
    let mut tx = state.db.begin_write().await?;
    // Two saves at once for the same contact would both insert: the second must wait.
    tx.lock_key(&format!("requirement:{id}")).await?;
    matches::put(&mut tx, id, &requirement).await?;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "contact",
        &id.to_string(),
        "requirement",
        serde_json::to_value(&requirement).unwrap_or_default(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(requirement))
}

/// Stop looking: remove the requirement for `sale` or `rent`.
#[utoipa::path(delete, path = "/contacts/{id}/requirements/{transaction}", tag = "contacts",
    params(("id" = String, Path), ("transaction" = String, Path, description = "`sale` or `rent`")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn delete_requirement(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, transaction)): Path<(ContactId, String)>,
) -> AppResult<StatusCode> {
    let transaction =
        Transaction::parse(&transaction).ok_or_else(|| AppError::invalid("transaction", FieldError::NotAllowed))?;
    contact_in_scope(&state, &ctx, id).await?;
    let mut tx = state.db.begin_write().await?;
    matches::remove(&mut tx, id, transaction).await?;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "contact",
        &id.to_string(),
        "requirement_delete",
        serde_json::json!({"transaction": transaction}),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Listings on the market (in the caller's scope) that meet the contact's requirements, best
/// first, each with a score (1–100) and the reasons. Empty when the contact has none.
#[utoipa::path(get, path = "/contacts/{id}/matches", tag = "contacts", params(("id" = String, Path)),
    responses((status = 200, body = Vec<ListingMatch>), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn contact_matches(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<ContactId>,
) -> AppResult<Json<Vec<ListingMatch>>> {
    let scope = contact_in_scope(&state, &ctx, id).await?;
    let requirements = matches::of_contact(&state.db, id).await?;
    Ok(Json(matches::listings_for(&state.db, &scope, &requirements).await?))
}
