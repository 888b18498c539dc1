//! `/api/v1/templates`: office staff, managers and admins keep email templates; everyone can
//! preview one against a record and send it to a contact (`POST /api/v1/contacts/{id}/emails`),
//! which queues the email and logs it on the contact's timeline.

use super::store;
use crate::auth::Ctx;
use crate::error::{field_error, ApiJson, AppError, AppResult};
use crate::{activities, audit, contacts, listings, mail, state::AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::activities::{ActivityKind, Direction, NewActivity};
use fieldwork_app::common::{ContactId, ErrorBody, FieldError, FieldErrors, TemplateId};
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
    ctx.require_not_rep()?;
    let input = super::check(&body).map_err(AppError::Validation)?;
    let mut tx = state.db.begin_write().await?;
    let id = store::insert(&mut tx, &input, ctx.user_id()).await?;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "email_template",
        &id.to_string(),
        "create",
        serde_json::json!({"name": input.name}),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(store::get(state.db.pool(), id).await?)))
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
    ctx.require_not_rep()?;
    let input = super::check(&body).map_err(AppError::Validation)?;
    let mut tx = state.db.begin_write().await?;
    store::update(&mut tx, id, &input).await?;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "email_template",
        &id.to_string(),
        "update",
        serde_json::json!({"name": input.name}),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(store::get(state.db.pool(), id).await?))
}

/// Delete a template (emails already sent stay in the contacts' timelines).
#[utoipa::path(delete, path = "/templates/{id}", tag = "templates", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn delete_template(State(state): State<AppState>, ctx: Ctx, Path(id): Path<TemplateId>) -> AppResult<StatusCode> {
    ctx.require_not_rep()?;
    let mut tx = state.db.begin_write().await?;
    store::delete(&mut tx, id).await?;
    audit::record(&mut tx, Some(ctx.user_id()), "email_template", &id.to_string(), "delete", serde_json::json!({}))
        .await?;
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
    Ok(Json(render_for(&state, &ctx, &template, &body).await?))
}

/// Renders `template` for the request's contact and listing (each checked against the scope).
async fn render_for(state: &AppState, ctx: &Ctx, template: &EmailTemplate, on: &RenderRequest) -> AppResult<Rendered> {
    let scope = ctx.scope(&state.db).await?.clone();
    let mut conn = state.db.pool().acquire().await.map_err(crate::db::StoreError::from)?;
    let contact = match on.contact_id {
        Some(id) => Some(
            contacts::store::get(&mut *conn, &scope, &id.to_string())
                .await
                .map_err(|e| field_error(e, "contact_id"))?,
        ),
        None => None,
    };
    let listing = match on.listing_id {
        Some(id) => Some(listings::store::get(&mut conn, &scope, id).await.map_err(|e| field_error(e, "listing_id"))?),
        None => None,
    };
    if listing.is_none() && super::uses_listing(&template.subject, &template.body) {
        let mut e = FieldErrors::new();
        e.add(
            "listing_id",
            FieldError::Invalid { reason: "this template uses listing placeholders: choose a listing".into() },
        );
        return Err(AppError::Validation(e));
    }
    let base = state.settings.link_base();
    let context = serde_json::json!({
        "contact": contact.as_ref().map_or_else(
            || super::contact_context("", None, None, None),
            |c| super::contact_context(
                &c.name,
                c.emails.first().map(|e| e.as_str()),
                c.phones.first().map(|p| p.as_str()),
                c.company_name.as_deref(),
            ),
        ),
        "sender": {"name": ctx.user.name, "email": ctx.user.email.as_str()},
        "listing": listing.as_ref().map(|l| serde_json::json!({
            "title": l.title,
            "reference": l.reference,
            "price": format!("{} {}", l.price.currency().as_str(), l.price.major_units()),
            "address": l.address.clone().unwrap_or_default(),
            "url": l.share_token.as_ref().map(|t| format!("{base}/share/{t}")).unwrap_or_default(),
        })),
    });
    let render = |field: &str, source: &str| {
        super::render(source, &context).map_err(|reason| {
            let mut e = FieldErrors::new();
            e.add(field, FieldError::Invalid { reason });
            AppError::Validation(e)
        })
    };
    Ok(Rendered {
        to: contact.as_ref().and_then(|c| c.emails.first()).map(|e| e.as_str().to_string()),
        subject: render("subject", &template.subject)?,
        body: render("body", &template.body)?,
    })
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
    let template = store::get(state.db.pool(), body.template_id).await.map_err(|e| field_error(e, "template_id"))?;
    let on = RenderRequest { contact_id: Some(contact), listing_id: body.listing_id };
    let rendered = render_for(&state, &ctx, &template, &on).await.map_err(|e| match e {
        AppError::Validation(fields) if fields.get("contact_id").is_some() => AppError::NotFound,
        other => other,
    })?;
    let Some(to) = rendered.to.clone() else {
        return Err(AppError::Unprocessable("this contact has no email address".into()));
    };
    let mut tx = state.db.begin_write().await?;
    let activity = NewActivity {
        id: Default::default(),
        kind: ActivityKind::Email,
        occurred_at: chrono::Utc::now(),
        direction: Some(Direction::Outbound),
        duration_s: None,
        result: None,
        subject: Some(rendered.subject.clone()),
        body: rendered.body.clone(),
    };
    let logged = activities::actions::record(&mut tx, contact, ctx.user_id(), &activity).await?;
    contacts::actions::note_activity(&mut tx, contact, activity.occurred_at.timestamp_millis()).await?;
    let mail = mail::Mail {
        key: format!("template:{}", logged.id),
        kind: "template".into(),
        to,
        subject: rendered.subject.clone(),
        text: rendered.body,
        contact_id: Some(contact),
        not_before: None,
    };
    let email_id = mail::enqueue(&mut tx, &mail).await?.ok_or_else(|| AppError::Conflict("already sent".into()))?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(EmailQueued { email_id, activity_id: logged.id, subject: rendered.subject })))
}
