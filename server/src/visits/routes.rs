//! `/api/v1/visits`: a rep checks in at a contact, listing or appointment and checks out with
//! an outcome and the next step (a follow-up or the next appointment, made in the same
//! transaction).

use super::{actions, store};
use crate::act::Act;
use crate::auth::Ctx;
use crate::error::{ApiJson, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::common::{ErrorBody, VisitId};
use fieldwork_app::visits::{CheckedOut, Visit, VisitForCheckIn, VisitForCheckOut};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(check_in))
        .routes(routes!(get_visit))
        .routes(routes!(check_out))
        .routes(routes!(outcomes))
}

/// Check in: now (or when it happened, offline), where the phone is, how far that is from the
/// place visited. A check-in more than 300 m away (beyond the fix's accuracy) is flagged `far`.
/// One visit at a time: check out of the open one first.
#[utoipa::path(post, path = "/visits", tag = "visits", request_body = VisitForCheckIn,
    responses((status = 201, body = Visit), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn check_in(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<VisitForCheckIn>,
) -> AppResult<impl IntoResponse> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let visit = actions::check_in(&act, &mut tx, &body).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(visit)))
}

/// One visit (a rep's own; a manager's team's).
#[utoipa::path(get, path = "/visits/{id}", tag = "visits", params(("id" = String, Path)),
    responses((status = 200, body = Visit), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn get_visit(State(state): State<AppState>, ctx: Ctx, Path(id): Path<VisitId>) -> AppResult<Json<Visit>> {
    let scope = ctx.scope(&state.db).await?.clone();
    Ok(Json(store::get(state.db.pool(), &scope, id).await?))
}

/// Check out with an outcome from the configured list, notes, the buyer's reaction at a
/// showing, and the next step: a follow-up or the next appointment, created with the visit's
/// contact. The visited appointment becomes `done`.
#[utoipa::path(post, path = "/visits/{id}/checkout", tag = "visits", params(("id" = String, Path)),
    request_body = VisitForCheckOut,
    responses((status = 200, body = CheckedOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn check_out(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<VisitId>,
    ApiJson(body): ApiJson<VisitForCheckOut>,
) -> AppResult<Json<CheckedOut>> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let done = actions::check_out(&act, &mut tx, id, &body).await?;
    tx.commit().await?;
    Ok(Json(done))
}

/// The outcomes a rep picks from at check-out (`FIELDWORK_VISIT_OUTCOMES`).
#[utoipa::path(get, path = "/visits/outcomes", tag = "visits", responses((status = 200, body = Vec<String>)))]
async fn outcomes(State(state): State<AppState>, _ctx: Ctx) -> Json<Vec<String>> {
    Json(state.settings.visit_outcomes.clone())
}
