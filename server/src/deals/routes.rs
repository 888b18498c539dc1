//! `/api/v1/deals`: the pipeline board and list, and each deal's life through its stages.

use super::actions;
use super::store::{self, DealFilter};
use crate::act::Act;
use crate::auth::Ctx;
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::common::{DealId, ErrorBody, FieldError, FieldErrors, UserId};
use fieldwork_app::deals::{Deal, DealBoard, DealForCreate, DealForUpdate, DealStage};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_deals, create_deal)).routes(routes!(get_deal, update_deal, delete_deal))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct DealParams {
    /// Only this stage.
    stage: Option<String>,
    /// Only this owner's deals.
    owner: Option<UserId>,
    /// Only this contact's deals.
    contact: Option<String>,
    /// Leave out deals closed (won/lost) more than this many days ago (default 90; 0 = keep all).
    closed_days: Option<i64>,
    limit: Option<i64>,
    cursor: Option<String>,
}

/// Deals in scope, latest stage change first, with the count and value of each stage.
#[utoipa::path(get, path = "/deals", tag = "deals", params(DealParams),
    responses((status = 200, body = DealBoard), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_deals(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(p): Query<DealParams>,
) -> AppResult<Json<DealBoard>> {
    let mut e = FieldErrors::new();
    let stage = p.stage.as_deref().filter(|s| !s.is_empty()).and_then(|s| e.check("stage", DealStage::parse_field(s)));
    let closed_days = p.closed_days.unwrap_or(90);
    if !(0..=3650).contains(&closed_days) {
        e.add("closed_days", FieldError::NotAllowed);
    }
    e.into_result(|| ()).map_err(AppError::Validation)?;
    let limit = crate::cursor::limit(p.limit.or(Some(200)))?;
    let after = crate::cursor::decode_ms_id(p.cursor.as_deref(), 0)?;
    let filter = DealFilter {
        stage,
        owner: p.owner,
        contact: p.contact.filter(|c| !c.is_empty()),
        closed_since: (closed_days > 0)
            .then(|| (chrono::Utc::now() - chrono::Duration::days(closed_days)).timestamp_millis()),
    };
    let scope = ctx.scope(&state.db).await?.clone();
    Ok(Json(store::board(&state.db, &scope, &filter, limit, after).await?))
}

/// Open a deal for a contact in scope (optionally on a listing).
#[utoipa::path(post, path = "/deals", tag = "deals", request_body = DealForCreate,
    responses((status = 201, body = Deal), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn create_deal(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<DealForCreate>,
) -> AppResult<impl IntoResponse> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let deal = actions::open(&act, &mut tx, &body).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(deal)))
}

/// One deal.
#[utoipa::path(get, path = "/deals/{id}", tag = "deals", params(("id" = String, Path)),
    responses((status = 200, body = Deal), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn get_deal(State(state): State<AppState>, ctx: Ctx, Path(id): Path<DealId>) -> AppResult<Json<Deal>> {
    let scope = ctx.scope(&state.db).await?.clone();
    Ok(Json(store::get(state.db.pool(), &scope, id).await?))
}

/// Change a deal. A stage moves `inquiry → proposal → negotiation → won | lost`; open stages
/// move freely, closed deals stay closed, and `lost` needs `lost_reason`.
#[utoipa::path(patch, path = "/deals/{id}", tag = "deals", params(("id" = String, Path)), request_body = DealForUpdate,
    responses((status = 200, body = Deal), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn update_deal(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<DealId>,
    ApiJson(body): ApiJson<DealForUpdate>,
) -> AppResult<Json<Deal>> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let deal = actions::change(&act, &mut tx, id, &body).await?;
    tx.commit().await?;
    Ok(Json(deal))
}

/// Delete a deal (managers, office and admins; reps mark it lost instead).
#[utoipa::path(delete, path = "/deals/{id}", tag = "deals", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn delete_deal(State(state): State<AppState>, ctx: Ctx, Path(id): Path<DealId>) -> AppResult<StatusCode> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    actions::delete(&act, &mut tx, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
