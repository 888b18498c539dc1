//! The business steps of campaigns: office staff, managers and admins send a template to a
//! segment of their contacts; a recipient unsubscribes through the link in the email (no
//! sign-in).

use super::store;
use crate::act::Act;
use crate::db::WriteTx;
use crate::error::{field_error, AppError, AppResult};
use crate::{activities, audit, contacts, mail, templates};
use fieldwork_app::activities::NewActivity;
use fieldwork_app::campaigns::{Campaign, CampaignInput, Unsubscribe, MAX_RECIPIENTS};
use fieldwork_app::common::{ContactId, FieldError};

/// Sends a template to a segment of the caller's contacts (not reps): rendered for each
/// recipient who agreed to email and has an address, queued at `FIELDWORK_CAMPAIGN_RATE` a
/// minute, logged on each timeline, with an unsubscribe link. A template with listing
/// placeholders, an empty segment and one beyond [`MAX_RECIPIENTS`] are refused. Audited.
pub async fn send(act: &Act<'_>, tx: &mut WriteTx, body: &CampaignInput) -> AppResult<Campaign> {
    let (state, ctx) = (act.state, act.ctx);
    ctx.require_not_rep()?;
    let input = body.validate().map_err(AppError::Validation)?;
    let template =
        templates::store::get(tx.conn(), input.template_id).await.map_err(|e| field_error(e, "template_id"))?;
    if templates::uses_listing(&template.subject, &template.body) {
        return Err(AppError::invalid(
            "template_id",
            FieldError::Invalid {
                reason: "a campaign cannot fill listing placeholders; choose another template".into(),
            },
        ));
    }
    let scope = act.scope().await?;
    let audience = store::audience(&state.db, scope, &input.segment).await?;
    if audience.recipients == 0 {
        return Err(AppError::Unprocessable("nobody in this segment agreed to email".into()));
    }
    if audience.recipients > MAX_RECIPIENTS {
        return Err(AppError::Unprocessable(format!(
            "this segment reaches {} contacts; a campaign goes to at most {MAX_RECIPIENTS}: narrow it",
            audience.recipients
        )));
    }
    let recipients = store::recipients(&state.db, scope, &input.segment, MAX_RECIPIENTS).await?;
    let base = state.settings.link_base();
    let sender = serde_json::json!({"name": ctx.user.name, "email": ctx.user.email.as_str()});
    let spacing_ms = 60_000 / i64::from(state.settings.campaign_rate_per_minute.max(1));
    let start = chrono::Utc::now().timestamp_millis();
    let id = store::insert(tx, &input.name, template.id, &input.segment, audience, ctx.user_id()).await?;
    let fields = crate::fields::actions::definitions(tx, fieldwork_app::fields::RecordType::Contact).await?;
    for (i, (contact, name, email, phone, company, custom)) in recipients.iter().enumerate() {
        let contact_id =
            ContactId::parse(contact).ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad contact id")))?;
        let values = serde_json::from_str(custom).unwrap_or_default();
        let person =
            templates::Person { name, email: Some(email), phone: phone.as_deref(), company: company.as_deref() };
        let context = serde_json::json!({
            "contact": templates::contact_context(&person, &fields, &values),
            "sender": sender,
        });
        let render = |source: &str| templates::render(source, &context).map_err(AppError::Unprocessable);
        let (subject, text) = (render(&template.subject)?, render(&template.body)?);
        let token = format!("fwu_{}", hex::encode(rand::random::<[u8; 24]>()));
        store::insert_unsubscribe(tx, &crate::feedback::store::hash(&token), contact_id, id).await?;
        let activity = NewActivity::sent_email(subject.clone(), format!("Campaign: {}\n\n{text}", input.name));
        activities::actions::record(tx, contact_id, ctx.user_id(), &activity).await?;
        let mail = mail::Mail {
            key: format!("campaign:{id}:{contact}"),
            kind: "campaign".into(),
            to: email.clone(),
            subject,
            text: format!("{text}\n\n—\nTo stop getting these emails: {base}/unsubscribe/{token}"),
            contact_id: Some(contact_id),
            campaign_id: Some(id),
            not_before: Some(start + spacing_ms * i64::try_from(i).unwrap_or(i64::MAX / 2)),
        };
        mail::enqueue(tx, &mail).await?;
    }
    audit::record(
        tx,
        Some(ctx.user_id()),
        "campaign",
        &id.to_string(),
        "send",
        serde_json::json!({"name": input.name, "template_id": template.id, "recipients": recipients.len()}),
    )
    .await?;
    Ok(store::get(tx.conn(), id).await?)
}

/// Unsubscribes whoever holds the link `token` (no sign-in): the contact's consent to email is
/// withdrawn, so no campaign reaches them again. Audited without an actor; answers the same
/// when repeated.
pub async fn unsubscribe(tx: &mut WriteTx, token: &str) -> AppResult<Unsubscribe> {
    let hash = super::token_hash(token)?;
    let (contact, email, done) = store::unsubscribe_link(tx.conn(), &hash).await?;
    if !done {
        let id = ContactId::parse(&contact).ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad contact id")))?;
        contacts::actions::unsubscribe(tx, id).await?;
        store::mark_used(tx, &hash).await?;
        audit::record(tx, None, "contact", &contact, "unsubscribe", serde_json::json!({"consent_email": false}))
            .await?;
    }
    Ok(Unsubscribe { email, done: true })
}
