//! `/api/v1/api-keys`: a user's own keys. Creating one shows the secret once.

use super::store;
use crate::auth::Ctx;
use crate::error::{ApiJson, AppError, AppResult};
use crate::{audit, state::AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::api_keys::{ApiKey, ApiKeyCreated, ApiKeyForCreate};
use fieldwork_app::common::{ApiKeyId, ErrorBody};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_keys, create_key)).routes(routes!(revoke_key))
}

/// Your API keys (admins only: keys are for integrations).
#[utoipa::path(get, path = "/api-keys", tag = "api keys",
    responses((status = 200, body = Vec<ApiKey>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_keys(State(state): State<AppState>, ctx: Ctx) -> AppResult<Json<Vec<ApiKey>>> {
    ctx.require_admin()?;
    Ok(Json(store::list_of(&state.db, ctx.user_id()).await?))
}

/// Create a key. The answer carries the secret; it is never shown again.
#[utoipa::path(post, path = "/api-keys", tag = "api keys", request_body = ApiKeyForCreate,
    responses((status = 201, body = ApiKeyCreated), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn create_key(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<ApiKeyForCreate>,
) -> AppResult<impl IntoResponse> {
    ctx.require_admin()?;
    let name = body.validate().map_err(AppError::Validation)?;
    let created = super::actions::create(&state.db, ctx.user_id(), &name).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Revoke one of your keys; it stops working at once.
#[utoipa::path(delete, path = "/api-keys/{id}", tag = "api keys", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn revoke_key(State(state): State<AppState>, ctx: Ctx, Path(id): Path<ApiKeyId>) -> AppResult<StatusCode> {
    ctx.require_admin()?;
    let mut tx = state.db.begin_write().await?;
    store::revoke(&mut tx, ctx.user_id(), id).await?;
    audit::record(&mut tx, Some(ctx.user_id()), "api_key", &id.to_string(), "revoke", serde_json::json!({})).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
