//! The business steps on lead-capture forms: an admin creates and deletes one; a visitor
//! submits one (no sign-in), which captures a lead. The demo agency starts with a form too.

use super::store;
use crate::act::Act;
use crate::db::{now_ms, WriteTx};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::{activities, audit, contacts, fields, notifications};
use fieldwork_app::activities::{ActivityKind, NewActivity};
use fieldwork_app::common::{FieldError, FieldErrors, FormId, UserId};
use fieldwork_app::contacts::ContactForCreate;
use fieldwork_app::fields::{FieldDef, RecordType};
use fieldwork_app::forms::{askable, LeadForm, LeadFormInput, NewLeadForm, Submission, HONEYPOT};
use std::collections::BTreeMap;

/// Creates a form (admins only). Its owner must be an active user and its territory must
/// exist. Audited.
pub async fn create(act: &Act<'_>, tx: &mut WriteTx, body: &LeadFormInput) -> AppResult<LeadForm> {
    let (state, ctx) = (act.state, act.ctx);
    ctx.require_admin()?;
    let form = body.validate().map_err(AppError::Validation)?;
    let mut e = FieldErrors::new();
    if let Some(owner) = form.owner_id {
        if !crate::users::store::by_id(&state.db, owner).await.is_ok_and(|u| u.active) {
            e.add("owner_id", FieldError::NotAllowed);
        }
    }
    if let Some(territory) = form.territory_id {
        if crate::territories::store::get(state.db.pool(), territory).await.is_err() {
            e.add("territory_id", FieldError::NotAllowed);
        }
    }
    let defs = fields::actions::definitions(tx, RecordType::Contact).await?;
    for (i, key) in form.custom_fields.iter().enumerate() {
        match defs.iter().find(|d| &d.key == key) {
            Some(def) if askable(def) => {}
            Some(_) => e.add(&format!("custom_fields.{i}"), FieldError::NotAllowed),
            None => e.add(&format!("custom_fields.{i}"), FieldError::UnknownField),
        }
    }
    e.into_result(|| ()).map_err(AppError::Validation)?;
    let id = store::insert(tx, &form, ctx.user_id()).await?;
    audit::record(
        tx,
        Some(ctx.user_id()),
        "lead_form",
        &id.to_string(),
        "create",
        serde_json::json!({"name": form.name}),
    )
    .await?;
    Ok(store::get(tx.conn(), id).await?.form)
}

/// Adds a form made outside a request (the demo agency's website form), made by `by`.
/// Audited with no actor and where it came from (`via`).
pub(crate) async fn add(tx: &mut WriteTx, form: &NewLeadForm, by: UserId, via: &str) -> AppResult<FormId> {
    let id = store::insert(tx, form, by).await?;
    let details = serde_json::json!({"name": form.name, "via": via});
    audit::record(tx, None, "lead_form", &id.to_string(), "create", details).await?;
    Ok(id)
}

/// Deletes a form (admins only): its endpoint stops taking submissions; the leads stay.
/// Audited.
pub async fn delete(act: &Act<'_>, tx: &mut WriteTx, id: FormId) -> AppResult<()> {
    let ctx = act.ctx;
    ctx.require_admin()?;
    store::delete(tx, id).await?;
    audit::record(tx, Some(ctx.user_id()), "lead_form", &id.to_string(), "delete", serde_json::json!({})).await?;
    Ok(())
}

/// A visitor submits form `id` with the posted `values` (no sign-in). The lead is the contact
/// with the same email or phone (its empty fields take the answers), or a new one captured for
/// the form's owner and territory; the submission is logged on its timeline and its owner is
/// told. A filled-in honeypot field is thanked and dropped. Answers the form's thank-you message.
pub async fn submit(
    state: &AppState,
    tx: &mut WriteTx,
    id: FormId,
    values: &BTreeMap<String, String>,
) -> AppResult<String> {
    let stored = store::get(tx.conn(), id).await?;
    let form = stored.form;
    if values.get(HONEYPOT).is_some_and(|v| !v.trim().is_empty()) {
        tracing::info!(form = %form.id, "form submission with the honeypot filled in dropped");
        return Ok(form.thank_you);
    }
    let defs = fields::actions::definitions(tx, RecordType::Contact).await?;
    // In the form's order; a field deleted since the form was built is no longer asked.
    let asked: Vec<FieldDef> =
        form.custom_fields.iter().filter_map(|key| defs.iter().find(|d| &d.key == key).cloned()).collect();
    let submission = Submission::parse(&form, &asked, values).map_err(AppError::Validation)?;
    let author = form.owner_id.or(stored.created_by).ok_or(AppError::NotFound)?;
    let email = submission.email.as_ref().map(|e| e.as_str().to_string());
    let phone = submission.phone.as_ref().map(|p| p.as_str().to_string());
    let (contact, created) = if let Some(contact) = store::existing_lead(tx, email.as_deref(), phone.as_deref()).await?
    {
        contacts::actions::fill_from_lead(tx, contact, &submission.custom, &defs).await?;
        (contact, false)
    } else {
        let new = ContactForCreate {
            name: submission.display_name(),
            lifecycle: Some("lead".into()),
            source: Some(format!("Web form: {}", form.name)),
            phones: phone.clone().into_iter().collect(),
            emails: email.clone().into_iter().collect(),
            address: submission.address.clone(),
            ..Default::default()
        }
        .validate()
        .map_err(AppError::Validation)?;
        let contact =
            contacts::actions::capture(tx, &new, &submission.custom, &defs, form.owner_id, form.territory_id).await?;
        (contact.id, true)
    };
    let summary = submission.summary();
    let activity = NewActivity {
        id: Default::default(),
        kind: ActivityKind::Note,
        occurred_at: chrono::Utc::now(),
        direction: None,
        duration_s: None,
        result: None,
        subject: Some(format!("Web form: {}", form.name)),
        body: summary.clone(),
    };
    activities::actions::record(tx, contact, author, &activity).await?;
    contacts::actions::note_activity(tx, contact, now_ms()).await?;
    let submission_id = store::record_submission(tx, form.id, contact, created, &summary).await?;
    if let Some(owner) = form.owner_id {
        let user = crate::users::store::by_id(&state.db, owner).await?;
        let notice = notifications::Notice::NewLead {
            contact: contact.to_string(),
            name: submission.display_name(),
            form: form.name.clone(),
        };
        notifications::notify(tx, &state.settings.link_base(), &user, &notice, &format!("lead:{submission_id}"))
            .await?;
    }
    tracing::info!(form = %form.id, %contact, created, "form submission taken");
    Ok(form.thank_you)
}
