//! `/api/v1/fields`: everyone reads the custom fields of their records (forms and lists need
//! them); admins add, change and delete them.

use super::{actions, store};
use crate::act::Act;
use crate::auth::Ctx;
use crate::db::StoreError;
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::common::{ErrorBody, FieldId};
use fieldwork_app::fields::{FieldDef, FieldDefInput, RecordType};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_fields, create_field)).routes(routes!(update_field, delete_field))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct FieldsQuery {
    /// `contact`, `deal`, `listing`, `appointment` or `visit`; every type when left out.
    record_type: Option<String>,
}

/// The custom fields of one record type (or of all), in their order on the record's page.
/// A record's values for them are its `"custom": {"key": value}`.
#[utoipa::path(get, path = "/fields", tag = "fields", params(FieldsQuery),
    responses((status = 200, body = Vec<FieldDef>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_fields(
    State(state): State<AppState>,
    _ctx: Ctx,
    Query(query): Query<FieldsQuery>,
) -> AppResult<Json<Vec<FieldDef>>> {
    let record_type = query
        .record_type
        .as_deref()
        .map(|t| RecordType::parse(t).map_err(|e| AppError::invalid("record_type", e)))
        .transpose()?;
    let mut conn = state.db.pool().acquire().await.map_err(StoreError::from)?;
    Ok(Json(store::list(&mut conn, record_type).await?))
}

/// Add a field (admins). Bad parts are a 400 naming each (`key`, `label`, `choices`…).
#[utoipa::path(post, path = "/fields", tag = "fields", request_body = FieldDefInput,
    responses((status = 201, body = FieldDef), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn create_field(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<FieldDefInput>,
) -> AppResult<impl IntoResponse> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let field = actions::create(&act, &mut tx, &body).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(field)))
}

/// Change a field (admins). Its record type and key stay; choices are retired, not removed; a
/// new kind that held values do not fit is a 400 on `kind` listing them.
#[utoipa::path(put, path = "/fields/{id}", tag = "fields", params(("id" = String, Path)), request_body = FieldDefInput,
    responses((status = 200, body = FieldDef), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn update_field(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<FieldId>,
    ApiJson(body): ApiJson<FieldDefInput>,
) -> AppResult<Json<FieldDef>> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let field = actions::edit(&act, &mut tx, id, &body).await?;
    tx.commit().await?;
    Ok(Json(field))
}

/// Delete a field (admins). Records keep the values they held (in their history too).
#[utoipa::path(delete, path = "/fields/{id}", tag = "fields", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn delete_field(State(state): State<AppState>, ctx: Ctx, Path(id): Path<FieldId>) -> AppResult<StatusCode> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    actions::delete(&act, &mut tx, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
