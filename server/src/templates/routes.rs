//! `/api/v1/templates`: office staff, managers and admins keep email templates; everyone can
//! preview one against a record and send it to a contact (`POST /api/v1/contacts/{id}/emails`),
//! which queues the email and logs it on the contact's timeline.

use super::{actions, store};
use crate::act::Act;
use crate::auth::Ctx;
use crate::db::StoreError;
use crate::error::{ApiJson, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::common::{ContactId, ErrorBody, TemplateId};
use fieldwork_app::templates::{EmailQueued, EmailTemplate, RenderRequest, Rendered, SendEmail, TemplateInput};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_templates, create_template))
        .routes(routes!(update_template, delete_template))
        .routes(routes!(preview))
        .routes(routes!(send_to_contact))
}

/// Every template, by name.
#[utoipa::path(get, path = "/templates", tag = "templates",
    responses((status = 200, body = Vec<EmailTemplate>), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_templates(State(state): State<AppState>, _ctx: Ctx) -> AppResult<Json<Vec<EmailTemplate>>> {
    Ok(Json(store::list(&state.db).await?))
}

/// Create a template (not reps). An unknown placeholder or broken syntax is a 400 on
/// `subject` or `body` that names it.
#[utoipa::path(post, path = "/templates", tag = "templates", request_body = TemplateInput,
    responses((status = 201, body = EmailTemplate), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn create_template(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<TemplateInput>,
) -> AppResult<impl IntoResponse> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let template = actions::create(&act, &mut tx, &body).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(template)))
}

/// Replace a template's name, subject and body (checked as at creation).
#[utoipa::path(put, path = "/templates/{id}", tag = "templates", params(("id" = String, Path)), request_body = TemplateInput,
    responses((status = 200, body = EmailTemplate), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn update_template(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<TemplateId>,
    ApiJson(body): ApiJson<TemplateInput>,
) -> AppResult<Json<EmailTemplate>> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let template = actions::edit(&act, &mut tx, id, &body).await?;
    tx.commit().await?;
    Ok(Json(template))
}

/// Delete a template (emails already sent stay in the contacts' timelines).
#[utoipa::path(delete, path = "/templates/{id}", tag = "templates", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn delete_template(State(state): State<AppState>, ctx: Ctx, Path(id): Path<TemplateId>) -> AppResult<StatusCode> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    actions::delete(&act, &mut tx, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The template rendered against a contact (and a listing) in the caller's scope.
#[utoipa::path(post, path = "/templates/{id}/preview", tag = "templates", params(("id" = String, Path)),
    request_body = RenderRequest,
    responses((status = 200, body = Rendered), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn preview(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<TemplateId>,
    ApiJson(body): ApiJson<RenderRequest>,
) -> AppResult<Json<Rendered>> {
    let template = store::get(state.db.pool(), id).await?;
    let scope = ctx.scope(&state.db).await?;
    let mut conn = state.db.pool().acquire().await.map_err(StoreError::from)?;
    let link_base = state.settings.link_base();
    Ok(Json(super::render_for(&mut conn, scope, &ctx.user, &link_base, &template, &body).await?))
}

/// Send a template to a contact: rendered for the contact (and listing), queued in the email
/// outbox and logged as an outbound email on the contact's timeline, in one transaction.
#[utoipa::path(post, path = "/contacts/{id}/emails", tag = "templates", params(("id" = String, Path)),
    request_body = SendEmail,
    responses((status = 201, body = EmailQueued), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn send_to_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(contact): Path<ContactId>,
    ApiJson(body): ApiJson<SendEmail>,
) -> AppResult<impl IntoResponse> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let queued = actions::send_to_contact(&act, &mut tx, contact, &body).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(queued)))
}
