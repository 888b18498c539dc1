//! `/api/v1/contacts/{id}/activities`: the communication log of a contact in the caller's scope.

use super::store;
use crate::auth::Ctx;
use crate::contacts;
use crate::cursor::PageParams;
use crate::db::WriteTx;
use crate::error::{ApiJson, AppError, AppResult};
use crate::scope::Scope;
use crate::{audit, AppState};
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
    let scope = Scope::of(&state.db, &ctx).await?;
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
    let scope = Scope::of(&state.db, &ctx).await?;
    let mut tx = state.db.begin_write().await?;
    let activity = log_in(&ctx, &scope, &mut tx, id, &body).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(activity)))
}

/// Logs an activity on a contact in scope inside the caller's transaction.
pub(crate) async fn log_in(
    ctx: &Ctx,
    scope: &Scope,
    tx: &mut WriteTx,
    id: ContactId,
    body: &ActivityForCreate,
) -> AppResult<Activity> {
    let new = body.validate(chrono::Utc::now()).map_err(AppError::Validation)?;
    contacts::store::get(tx.conn(), scope, &id.to_string()).await?;
    let activity = store::insert(tx, id, ctx.user_id(), &new).await?;
    contacts::write::touch(tx, id, new.occurred_at.timestamp_millis()).await?;
    audit::record(
        tx,
        Some(ctx.user_id()),
        "activity",
        &activity.id.to_string(),
        "create",
        serde_json::json!({"contact_id": id, "kind": new.kind}),
    )
    .await?;
    Ok(activity)
}
