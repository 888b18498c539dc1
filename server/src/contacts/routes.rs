//! `GET /api/v1/contacts`: the contact list in the caller's scope.

use super::store;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};
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

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ListParams {
    /// Page size, 1–200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// Contacts the caller may see, by name, one page at a time.
#[utoipa::path(get, path = "/contacts", tag = "contacts", params(ListParams),
    responses((status = 200, body = Page<ContactSummary>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_contacts(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ListParams>,
) -> AppResult<Json<Page<ContactSummary>>> {
    let limit = params.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::BadRequest("limit must be between 1 and 200".into()));
    }
    let after = match params.cursor.as_deref() {
        Some(c) => {
            let parts =
                crate::cursor::decode(c, 2).ok_or_else(|| AppError::BadRequest("cursor is not valid".into()))?;
            Some((parts[0].clone(), parts[1].clone()))
        }
        None => None,
    };
    let scope = Scope::of(&state.db, &ctx).await?;
    Ok(Json(store::list(&state.db, &scope, limit, after).await?))
}
