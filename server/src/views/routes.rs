//! `/api/v1/me/views/{list}`: the caller's layout of a list. Every user has their own; nobody
//! reads or changes another's.

use super::store;
use crate::auth::Ctx;
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use fieldwork_app::common::{ErrorBody, FieldError, FieldErrors};
use fieldwork_app::views::{ListName, ListView};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_view, put_view))
}

fn list_named(raw: &str) -> AppResult<ListName> {
    ListName::parse(raw).ok_or_else(|| {
        let mut e = FieldErrors::new();
        e.add("list", FieldError::NotAllowed);
        AppError::Validation(e)
    })
}

/// The caller's layout of `list` (`contacts`); the list's default until they save one.
#[utoipa::path(get, path = "/me/views/{list}", tag = "users", params(("list" = String, Path)),
    responses((status = 200, body = ListView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn get_view(State(state): State<AppState>, ctx: Ctx, Path(list): Path<String>) -> AppResult<Json<ListView>> {
    let list = list_named(&list)?;
    let saved = store::get(&state.db, ctx.user_id(), list).await?;
    Ok(Json(saved.unwrap_or_else(|| list.default_view())))
}

/// Saves the caller's layout of `list`: columns (built-in keys or `custom.<field key>`, the
/// name column included), their widths, and the sort it opens with.
#[utoipa::path(put, path = "/me/views/{list}", tag = "users", params(("list" = String, Path)), request_body = ListView,
    responses((status = 200, body = ListView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn put_view(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(list): Path<String>,
    ApiJson(view): ApiJson<ListView>,
) -> AppResult<Json<ListView>> {
    let list = list_named(&list)?;
    view.validate(list).map_err(AppError::Validation)?;
    let mut tx = state.db.begin_write().await?;
    store::put(&mut tx, ctx.user_id(), list, &view).await?;
    tx.commit().await?;
    Ok(Json(view))
}
