//! `/api/v1/me/notifications`: the caller's inbox; `/api/v1/me/notification-settings`: which
//! notifications the caller also gets by email.

use super::store;
use crate::auth::Ctx;
use crate::error::{ApiJson, AppResult};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use fieldwork_app::common::ErrorBody;
use fieldwork_app::notifications::{EmailSetting, Inbox};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(inbox)).routes(routes!(mark_read)).routes(routes!(get_settings, put_settings))
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

/// For every kind of notification, whether the caller gets it by email (on unless turned off).
#[utoipa::path(get, path = "/me/notification-settings", tag = "notifications",
    responses((status = 200, body = Vec<EmailSetting>), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn get_settings(State(state): State<AppState>, ctx: Ctx) -> AppResult<Json<Vec<EmailSetting>>> {
    Ok(Json(store::email_settings(&state.db, ctx.user_id()).await?))
}

/// Turns email for the listed kinds on or off; answers every kind's setting.
#[utoipa::path(put, path = "/me/notification-settings", tag = "notifications", request_body = Vec<EmailSetting>,
    responses((status = 200, body = Vec<EmailSetting>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn put_settings(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<Vec<EmailSetting>>,
) -> AppResult<Json<Vec<EmailSetting>>> {
    let mut tx = state.db.begin_write().await?;
    store::save_email_settings(&mut tx, ctx.user_id(), &body).await?;
    tx.commit().await?;
    Ok(Json(store::email_settings(&state.db, ctx.user_id()).await?))
}
