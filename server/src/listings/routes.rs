//! `GET /api/v1/listings`: listings in the caller's scope.

use super::store;
use crate::auth::Ctx;
use crate::cursor::PageParams;
use crate::error::AppResult;
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

/// Listings the caller may see, newest first.
#[utoipa::path(get, path = "/listings", tag = "listings", params(PageParams),
    responses((status = 200, body = Page<ListingSummary>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_listings(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<PageParams>,
) -> AppResult<Json<Page<ListingSummary>>> {
    let limit = params.limit()?;
    let before = params.cursor(1)?.and_then(|mut parts| parts.pop());
    let scope = Scope::of(&state.db, &ctx).await?;
    Ok(Json(store::list(&state.db, &scope, limit, before).await?))
}
