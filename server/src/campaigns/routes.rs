//! `/api/v1/campaigns` (office staff, managers, admins) and the public unsubscribe link
//! (`/api/v1/public/unsubscribe/{token}`).

use super::{actions, store, token_hash};
use crate::act::Act;
use crate::auth::Ctx;
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::campaigns::{Audience, Campaign, CampaignInput, Segment, Unsubscribe};
use fieldwork_app::common::ErrorBody;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_campaigns, send_campaign))
        .routes(routes!(audience))
        .routes(routes!(unsubscribe_info, unsubscribe))
}

/// The latest campaigns with what became of their emails.
#[utoipa::path(get, path = "/campaigns", tag = "campaigns",
    responses((status = 200, body = Vec<Campaign>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_campaigns(State(state): State<AppState>, ctx: Ctx) -> AppResult<Json<Vec<Campaign>>> {
    ctx.require_not_rep()?;
    Ok(Json(store::list(&state.db).await?))
}

/// How many contacts a segment reaches (consent to email and an address) and how many it
/// leaves out, before sending.
#[utoipa::path(post, path = "/campaigns/audience", tag = "campaigns", request_body = Segment,
    responses((status = 200, body = Audience), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn audience(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<Segment>,
) -> AppResult<Json<Audience>> {
    ctx.require_not_rep()?;
    let segment = body.normalized().map_err(|e| AppError::invalid("tag", e))?;
    let scope = ctx.scope(&state.db).await?.clone();
    Ok(Json(store::audience(&state.db, &scope, &segment).await?))
}

/// Send a template to a segment of the caller's contacts: rendered for each recipient, queued
/// at `FIELDWORK_CAMPAIGN_RATE` a minute, logged on each timeline, with an unsubscribe link.
/// Contacts without consent to email are left out and counted.
#[utoipa::path(post, path = "/campaigns", tag = "campaigns", request_body = CampaignInput,
    responses((status = 201, body = Campaign), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn send_campaign(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<CampaignInput>,
) -> AppResult<impl IntoResponse> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let campaign = actions::send(&act, &mut tx, &body).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(campaign)))
}

/// Which address an unsubscribe link stops (no sign-in).
#[utoipa::path(get, path = "/public/unsubscribe/{token}", tag = "campaigns", params(("token" = String, Path)),
    responses((status = 200, body = Unsubscribe), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn unsubscribe_info(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<Json<Unsubscribe>> {
    let (_, email, done) = store::unsubscribe_link(state.db.pool(), &token_hash(&token)?).await?;
    Ok(Json(Unsubscribe { email, done }))
}

/// Unsubscribe (no sign-in): the contact's consent to email is withdrawn, so no campaign
/// reaches them again. Answers the same when repeated.
#[utoipa::path(post, path = "/public/unsubscribe/{token}", tag = "campaigns", params(("token" = String, Path)),
    responses((status = 200, body = Unsubscribe), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<Json<Unsubscribe>> {
    let mut tx = state.db.begin_write().await?;
    let done = actions::unsubscribe(&mut tx, &token).await?;
    tx.commit().await?;
    Ok(Json(done))
}
