//! `GET /api/v1/contacts`: the contact list in the caller's scope.

use super::store;
use crate::auth::Ctx;
use crate::cursor::PageParams;
use crate::error::AppResult;
use crate::scope::Scope;
use crate::AppState;
use axum::extract::{Query, State};
use axum::Json;
use fieldwork_app::common::{ErrorBody, Page};
use fieldwork_app::contacts::ContactSummary;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_contacts))
}

/// Contacts the caller may see, by name, one page at a time.
#[utoipa::path(get, path = "/contacts", tag = "contacts", params(PageParams),
    responses((status = 200, body = Page<ContactSummary>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_contacts(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<PageParams>,
) -> AppResult<Json<Page<ContactSummary>>> {
    let limit = params.limit()?;
    let after = params.cursor(2)?.map(|mut parts| {
        let id = parts.pop().unwrap_or_default();
        (parts.pop().unwrap_or_default(), id)
    });
    let scope = Scope::of(&state.db, &ctx).await?;
    Ok(Json(store::list(&state.db, &scope, limit, after).await?))
}
