//! The business steps on email templates: office staff, managers and admins create, edit and
//! delete them; anyone sends one to a contact in their scope. The demo agency starts with two.

use super::store;
use crate::act::Act;
use crate::db::WriteTx;
use crate::error::{field_error, AppError, AppResult};
use crate::{activities, audit, contacts, mail};
use fieldwork_app::activities::NewActivity;
use fieldwork_app::common::{ContactId, TemplateId, UserId};
use fieldwork_app::templates::{EmailQueued, EmailTemplate, RenderRequest, SendEmail, TemplateInput};

/// The keys of the contact fields the business added: placeholders a template may use.
async fn custom_keys(tx: &mut WriteTx) -> AppResult<Vec<String>> {
    let defs = crate::fields::actions::definitions(tx, fieldwork_app::fields::RecordType::Contact).await?;
    Ok(defs.into_iter().map(|d| d.key).collect())
}

/// Creates a template (not reps). Its syntax and placeholders are checked: a typo is a 400
/// that names it. Audited.
pub async fn create(act: &Act<'_>, tx: &mut WriteTx, body: &TemplateInput) -> AppResult<EmailTemplate> {
    let ctx = act.ctx;
    ctx.require_not_rep()?;
    let input = super::check(body, &custom_keys(tx).await?).map_err(AppError::Validation)?;
    let id = store::insert(tx, &input, ctx.user_id()).await?;
    let details = serde_json::json!({"name": input.name});
    audit::record(tx, Some(ctx.user_id()), "email_template", &id.to_string(), "create", details).await?;
    Ok(store::get(tx.conn(), id).await?)
}

/// Adds a template made outside a request (the demo agency's), already checked, written by
/// `by`. Audited with no actor and where it came from (`via`).
pub(crate) async fn add(tx: &mut WriteTx, input: &TemplateInput, by: UserId, via: &str) -> AppResult<TemplateId> {
    let id = store::insert(tx, input, by).await?;
    let details = serde_json::json!({"name": input.name, "via": via});
    audit::record(tx, None, "email_template", &id.to_string(), "create", details).await?;
    Ok(id)
}

/// Replaces a template's name, subject and body (not reps), checked as at creation. Audited.
pub async fn edit(act: &Act<'_>, tx: &mut WriteTx, id: TemplateId, body: &TemplateInput) -> AppResult<EmailTemplate> {
    let ctx = act.ctx;
    ctx.require_not_rep()?;
    let input = super::check(body, &custom_keys(tx).await?).map_err(AppError::Validation)?;
    store::update(tx, id, &input).await?;
    let details = serde_json::json!({"name": input.name});
    audit::record(tx, Some(ctx.user_id()), "email_template", &id.to_string(), "update", details).await?;
    Ok(store::get(tx.conn(), id).await?)
}

/// Deletes a template (not reps); emails already sent stay in the contacts' timelines. Audited.
pub async fn delete(act: &Act<'_>, tx: &mut WriteTx, id: TemplateId) -> AppResult<()> {
    let ctx = act.ctx;
    ctx.require_not_rep()?;
    store::delete(tx, id).await?;
    audit::record(tx, Some(ctx.user_id()), "email_template", &id.to_string(), "delete", serde_json::json!({})).await?;
    Ok(())
}

/// Sends a template to a contact in the caller's scope (a contact out of scope is not found):
/// rendered for the contact (and the listing asked for), queued in the email outbox and logged
/// as an outbound email on the contact's timeline. A contact without an address is refused.
pub async fn send_to_contact(
    act: &Act<'_>,
    tx: &mut WriteTx,
    contact: ContactId,
    body: &SendEmail,
) -> AppResult<EmailQueued> {
    let (state, ctx) = (act.state, act.ctx);
    let template = store::get(tx.conn(), body.template_id).await.map_err(|e| field_error(e, "template_id"))?;
    let on = RenderRequest { contact_id: Some(contact), listing_id: body.listing_id };
    let link_base = state.settings.link_base();
    let rendered = super::render_for(tx.conn(), act.scope().await?, &ctx.user, &link_base, &template, &on)
        .await
        .map_err(|e| match e {
            AppError::Validation(fields) if fields.get("contact_id").is_some() => AppError::NotFound,
            other => other,
        })?;
    let Some(to) = rendered.to.clone() else {
        return Err(AppError::Unprocessable("this contact has no email address".into()));
    };
    let activity = NewActivity::sent_email(rendered.subject.clone(), rendered.body.clone());
    let logged = activities::actions::record(tx, contact, ctx.user_id(), &activity).await?;
    contacts::actions::note_activity(tx, contact, activity.occurred_at.timestamp_millis()).await?;
    let mail = mail::Mail {
        key: format!("template:{}", logged.id),
        kind: "template".into(),
        to,
        subject: rendered.subject.clone(),
        text: rendered.body,
        contact_id: Some(contact),
        campaign_id: None,
        not_before: None,
    };
    let email_id = mail::enqueue(tx, &mail).await?.ok_or_else(|| AppError::Conflict("already sent".into()))?;
    Ok(EmailQueued { email_id, activity_id: logged.id, subject: rendered.subject })
}
