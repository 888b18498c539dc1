//! `GET /api/v1/contacts/{id}/personal-data` and `POST /api/v1/contacts/{id}/erase`: a
//! person's data rights, handled by office staff and admins (the company answers such requests,
//! not a rep). Both work on deleted contacts too, and both are audited.

use super::privacy::{self, Erased};
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};
use crate::{audit, state::AppState};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::common::{ContactId, ErrorBody};
use fieldwork_app::users::Role;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(personal_data)).routes(routes!(erase_contact))
}

fn require_privacy_officer(ctx: &Ctx) -> AppResult<()> {
    if matches!(ctx.role(), Role::Office | Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Everything stored about one contact, as one JSON document to hand to the person (a subject
/// access request): the contact and its activities, appointments, visits, deals, tasks,
/// requirements, survey answers, form submissions, emails and change history.
#[utoipa::path(get, path = "/contacts/{id}/personal-data", tag = "contacts", params(("id" = String, Path)),
    responses((status = 200, content_type = "application/json", description = "The contact's data by section"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn personal_data(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<ContactId>,
) -> AppResult<impl IntoResponse> {
    require_privacy_officer(&ctx)?;
    let mut tx = state.db.begin_write().await?;
    let data = privacy::personal_data(tx.conn(), id).await?;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "contact",
        &id.to_string(),
        "personal_data_export",
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    let disposition = format!("attachment; filename=\"contact-{id}.json\"");
    Ok(([(header::CONTENT_DISPOSITION, disposition)], Json(data)))
}

/// Erase a contact: name, phones, emails, address, location, notes and the words of its
/// activities, appointments, visits, deals, tasks, survey comments, form submissions, emails
/// and history are removed; the records stay (who did what, when, for how much), so reports
/// keep their numbers. Cannot be undone.
#[utoipa::path(post, path = "/contacts/{id}/erase", tag = "contacts", params(("id" = String, Path)),
    responses((status = 200, body = Erased), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn erase_contact(State(state): State<AppState>, ctx: Ctx, Path(id): Path<ContactId>) -> AppResult<Json<Erased>> {
    require_privacy_officer(&ctx)?;
    let mut tx = state.db.begin_write().await?;
    let erased = privacy::erase(&mut tx, id).await?;
    let counts = serde_json::to_value(&erased).unwrap_or_default();
    audit::record(&mut tx, Some(ctx.user_id()), "contact", &id.to_string(), "erase", counts).await?;
    tx.commit().await?;
    Ok(Json(erased))
}
