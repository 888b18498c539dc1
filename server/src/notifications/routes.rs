//! `/api/v1/me/notifications`: the caller's inbox.

use super::store;
use crate::auth::Ctx;
use crate::error::AppResult;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use fieldwork_app::common::ErrorBody;
use fieldwork_app::notifications::Inbox;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(inbox)).routes(routes!(mark_read))
}

/// The caller's latest notifications and how many are unread.
#[utoipa::path(get, path = "/me/notifications", tag = "notifications",
    responses((status = 200, body = Inbox), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn inbox(State(state): State<AppState>, ctx: Ctx) -> AppResult<Json<Inbox>> {
    Ok(Json(store::inbox(&state.db, ctx.user_id()).await?))
}

/// Marks every notification of the caller read.
#[utoipa::path(post, path = "/me/notifications/read", tag = "notifications",
    responses((status = 204), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn mark_read(State(state): State<AppState>, ctx: Ctx) -> AppResult<StatusCode> {
    let mut tx = state.db.begin_write().await?;
    store::mark_all_read(&mut tx, ctx.user_id()).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
