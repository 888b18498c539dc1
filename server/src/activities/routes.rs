//! `/api/v1/contacts/{id}/activities`: the communication log of a contact in the caller's scope.

use super::{actions, store};
use crate::act::Act;
use crate::auth::Ctx;
use crate::contacts;
use crate::cursor::PageParams;
use crate::error::{ApiJson, AppResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::activities::{Activity, ActivityForCreate};
use fieldwork_app::common::{ContactId, ErrorBody, Page};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_activities, log_activity))
}

/// The contact's calls, emails, messages and notes, newest first.
#[utoipa::path(get, path = "/contacts/{id}/activities", tag = "activities", params(("id" = String, Path), PageParams),
    responses((status = 200, body = Page<Activity>), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_activities(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<ContactId>,
    Query(params): Query<PageParams>,
) -> AppResult<Json<Page<Activity>>> {
    let limit = params.limit()?;
    let before = crate::cursor::decode_ms_id(params.cursor_str(), i64::MAX)?;
    let scope = ctx.scope(&state.db).await?.clone();
    contacts::store::get(state.db.pool(), &scope, &id.to_string()).await?;
    Ok(Json(store::list(&state.db, id, limit, before).await?))
}

/// Log a call (direction, duration, result), email, SMS, chat, social message or note.
#[utoipa::path(post, path = "/contacts/{id}/activities", tag = "activities", params(("id" = String, Path)),
    request_body = ActivityForCreate,
    responses((status = 201, body = Activity), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn log_activity(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<ContactId>,
    ApiJson(body): ApiJson<ActivityForCreate>,
) -> AppResult<impl IntoResponse> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let activity = actions::log(&act, &mut tx, id, &body).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(activity)))
}
