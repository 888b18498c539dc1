//! `/api/v1/campaigns` (office staff, managers, admins) and the public unsubscribe link
//! (`/api/v1/public/unsubscribe/{token}`).

use super::store;
use crate::auth::Ctx;
use crate::error::{field_error, ApiJson, AppError, AppResult};
use crate::{activities, audit, mail, state::AppState, templates};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::activities::{ActivityKind, Direction, NewActivity};
use fieldwork_app::campaigns::{Audience, Campaign, CampaignInput, Segment, Unsubscribe, MAX_RECIPIENTS};
use fieldwork_app::common::{ContactId, ErrorBody, FieldError};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_campaigns, send_campaign))
        .routes(routes!(audience))
        .routes(routes!(unsubscribe_info, unsubscribe))
}

/// The latest campaigns with what became of their emails.
#[utoipa::path(get, path = "/campaigns", tag = "campaigns",
    responses((status = 200, body = Vec<Campaign>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_campaigns(State(state): State<AppState>, ctx: Ctx) -> AppResult<Json<Vec<Campaign>>> {
    ctx.require_not_rep()?;
    Ok(Json(store::list(&state.db).await?))
}

/// How many contacts a segment reaches (consent to email and an address) and how many it
/// leaves out, before sending.
#[utoipa::path(post, path = "/campaigns/audience", tag = "campaigns", request_body = Segment,
    responses((status = 200, body = Audience), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn audience(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<Segment>,
) -> AppResult<Json<Audience>> {
    ctx.require_not_rep()?;
    let segment = body.normalized().map_err(|e| AppError::invalid("tag", e))?;
    let scope = ctx.scope(&state.db).await?.clone();
    Ok(Json(store::audience(&state.db, &scope, &segment).await?))
}

/// Send a template to a segment of the caller's contacts: rendered for each recipient, queued
/// at `FIELDWORK_CAMPAIGN_RATE` a minute, logged on each timeline, with an unsubscribe link.
/// Contacts without consent to email are left out and counted.
#[utoipa::path(post, path = "/campaigns", tag = "campaigns", request_body = CampaignInput,
    responses((status = 201, body = Campaign), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn send_campaign(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<CampaignInput>,
) -> AppResult<impl IntoResponse> {
    ctx.require_not_rep()?;
    let input = body.validate().map_err(AppError::Validation)?;
    let template =
        templates::store::get(state.db.pool(), input.template_id).await.map_err(|e| field_error(e, "template_id"))?;
    if templates::uses_listing(&template.subject, &template.body) {
        return Err(AppError::invalid(
            "template_id",
            FieldError::Invalid {
                reason: "a campaign cannot fill listing placeholders; choose another template".into(),
            },
        ));
    }
    let scope = ctx.scope(&state.db).await?.clone();
    let audience = store::audience(&state.db, &scope, &input.segment).await?;
    if audience.recipients == 0 {
        return Err(AppError::Unprocessable("nobody in this segment agreed to email".into()));
    }
    if audience.recipients > MAX_RECIPIENTS {
        return Err(AppError::Unprocessable(format!(
            "this segment reaches {} contacts; a campaign goes to at most {MAX_RECIPIENTS}: narrow it",
            audience.recipients
        )));
    }
    let recipients = store::recipients(&state.db, &scope, &input.segment, MAX_RECIPIENTS).await?;
    let base = state.settings.link_base();
    let sender = serde_json::json!({"name": ctx.user.name, "email": ctx.user.email.as_str()});
    let spacing_ms = 60_000 / i64::from(state.settings.campaign_rate_per_minute.max(1));
    let start = chrono::Utc::now().timestamp_millis();
    let mut tx = state.db.begin_write().await?;
    let id = store::insert(&mut tx, &input.name, template.id, &input.segment, audience, ctx.user_id()).await?;
    for (i, (contact, name, email, phone, company)) in recipients.iter().enumerate() {
        let contact_id =
            ContactId::parse(contact).ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad contact id")))?;
        let context = serde_json::json!({
            "contact": templates::contact_context(name, Some(email), phone.as_deref(), company.as_deref()),
            "sender": sender,
        });
        let render = |source: &str| templates::render(source, &context).map_err(AppError::Unprocessable);
        let (subject, text) = (render(&template.subject)?, render(&template.body)?);
        let token = format!("fwu_{}", hex::encode(rand::random::<[u8; 24]>()));
        store::insert_unsubscribe(&mut tx, &crate::feedback::store::hash(&token), contact_id, id).await?;
        let activity = NewActivity {
            id: Default::default(),
            kind: ActivityKind::Email,
            occurred_at: chrono::Utc::now(),
            direction: Some(Direction::Outbound),
            duration_s: None,
            result: None,
            subject: Some(subject.clone()),
            body: format!("Campaign: {}\n\n{text}", input.name),
        };
        activities::actions::record(&mut tx, contact_id, ctx.user_id(), &activity).await?;
        let mail = mail::Mail {
            key: format!("campaign:{id}:{contact}"),
            kind: "campaign".into(),
            to: email.clone(),
            subject,
            text: format!("{text}\n\n—\nTo stop getting these emails: {base}/unsubscribe/{token}"),
            contact_id: Some(contact_id),
            not_before: Some(start + spacing_ms * i64::try_from(i).unwrap_or(i64::MAX / 2)),
        };
        if let Some(email_id) = mail::enqueue(&mut tx, &mail).await? {
            store::tag_email(&mut tx, email_id, id).await?;
        }
    }
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "campaign",
        &id.to_string(),
        "send",
        serde_json::json!({"name": input.name, "template_id": template.id, "recipients": recipients.len()}),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(store::get(&state.db, id).await?)))
}

fn token_hash(token: &str) -> AppResult<String> {
    if token.starts_with("fwu_") && token.len() <= 100 {
        Ok(crate::feedback::store::hash(token))
    } else {
        Err(AppError::NotFound)
    }
}

/// Which address an unsubscribe link stops (no sign-in).
#[utoipa::path(get, path = "/public/unsubscribe/{token}", tag = "campaigns", params(("token" = String, Path)),
    responses((status = 200, body = Unsubscribe), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn unsubscribe_info(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<Json<Unsubscribe>> {
    let (_, email, done) = store::unsubscribe_link(state.db.pool(), &token_hash(&token)?).await?;
    Ok(Json(Unsubscribe { email, done }))
}

/// Unsubscribe (no sign-in): the contact's consent to email is withdrawn, so no campaign
/// reaches them again. Answers the same when repeated.
#[utoipa::path(post, path = "/public/unsubscribe/{token}", tag = "campaigns", params(("token" = String, Path)),
    responses((status = 200, body = Unsubscribe), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<Json<Unsubscribe>> {
    let hash = token_hash(&token)?;
    let mut tx = state.db.begin_write().await?;
    let (contact, email, done) = store::unsubscribe_link(tx.conn(), &hash).await?;
    if !done {
        store::unsubscribe(&mut tx, &hash, &contact).await?;
        audit::record(&mut tx, None, "contact", &contact, "unsubscribe", serde_json::json!({"consent_email": false}))
            .await?;
    }
    tx.commit().await?;
    Ok(Json(Unsubscribe { email, done: true }))
}
