//! `GET /api/v1/listings`: listings in the caller's scope.

use super::store;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};
use crate::scope::Scope;
use crate::AppState;
use axum::extract::{Query, State};
use axum::Json;
use fieldwork_app::common::{ErrorBody, Page};
use fieldwork_app::listings::ListingSummary;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_listings))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// Page size, 1–200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// Listings the caller may see, newest first.
#[utoipa::path(get, path = "/listings", tag = "listings", params(ListParams),
    responses((status = 200, body = Page<ListingSummary>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_listings(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ListParams>,
) -> AppResult<Json<Page<ListingSummary>>> {
    let limit = params.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::BadRequest("limit must be between 1 and 200".into()));
    }
    let before = match params.cursor.as_deref() {
        Some(c) => Some(
            crate::cursor::decode(c, 1).ok_or_else(|| AppError::BadRequest("cursor is not valid".into()))?.remove(0),
        ),
        None => None,
    };
    let scope = Scope::of(&state.db, &ctx).await?;
    Ok(Json(store::list(&state.db, &scope, limit, before).await?))
}
