//! `/api/v1/tasks`: follow-ups. Everyone sees their own; managers their team's; office and
//! admins anyone's (`?assignee=`).

use super::{actions, store};
use crate::act::Act;
use crate::auth::Ctx;
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::common::{ErrorBody, FieldError, FieldErrors, Page, TaskId, UserId};
use fieldwork_app::tasks::{Task, TaskDue, TaskForCreate, TaskForUpdate};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_tasks, create_task)).routes(routes!(update_task))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct TaskParams {
    /// `today` (default: open and due by the end of today, overdue included), `overdue`, `open` or `done`.
    due: Option<String>,
    /// Whose tasks (default: the caller's).
    assignee: Option<UserId>,
    limit: Option<i64>,
    cursor: Option<String>,
}

/// A user's follow-ups, soonest first (done ones: latest first).
#[utoipa::path(get, path = "/tasks", tag = "tasks", params(TaskParams),
    responses((status = 200, body = Page<Task>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_tasks(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<TaskParams>,
) -> AppResult<Json<Page<Task>>> {
    let mut e = FieldErrors::new();
    let due = params.due.as_deref().map_or(Ok(TaskDue::Today), TaskDue::parse);
    let due = e.check("due", due);
    let limit = crate::cursor::limit(params.limit)?;
    let after = crate::cursor::decode_ms_id(params.cursor.as_deref(), 0)?;
    let scope = ctx.scope(&state.db).await?.clone();
    let assignee = params.assignee.unwrap_or(ctx.user_id());
    if !scope.covers_user(assignee) {
        e.add("assignee", FieldError::NotAllowed);
    }
    let due = e.into_result(|| due.unwrap_or_default()).map_err(AppError::Validation)?;
    let end_of_today = crate::appointments::day::local_day(chrono::Utc::now(), ctx.zone()).2;
    Ok(Json(store::list(&state.db, &scope, assignee, due, end_of_today.timestamp_millis(), limit, after).await?))
}

/// Create a follow-up for yourself (or, for managers, office and admins, for someone in scope).
#[utoipa::path(post, path = "/tasks", tag = "tasks", request_body = TaskForCreate,
    responses((status = 201, body = Task), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn create_task(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<TaskForCreate>,
) -> AppResult<impl IntoResponse> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let task = actions::create(&act, &mut tx, &body).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(task)))
}

/// Change a follow-up: title, due time, assignee, or tick it off (`done: true`).
#[utoipa::path(patch, path = "/tasks/{id}", tag = "tasks", params(("id" = String, Path)), request_body = TaskForUpdate,
    responses((status = 200, body = Task), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn update_task(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<TaskId>,
    ApiJson(body): ApiJson<TaskForUpdate>,
) -> AppResult<Json<Task>> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let task = actions::edit(&act, &mut tx, id, &body).await?;
    tx.commit().await?;
    Ok(Json(task))
}
