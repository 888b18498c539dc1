//! The business steps of a field visit: check in and check out.

use super::store::{self, CheckIn};
use crate::act::Act;
use crate::db::WriteTx;
use crate::error::{field_error, AppError, AppResult};
use crate::scope::Scope;
use crate::sync::entity::{self, Fields, Syncable};
use crate::{appointments, audit, contacts, fields, listings, tasks};
use fieldwork_app::appointments::{AppointmentKind, NewAppointment, DEFAULT_MINUTES};
use fieldwork_app::common::{GeoPoint, VisitId};
use fieldwork_app::fields::{FieldDef, RecordType};
use fieldwork_app::sync::Entity;
use fieldwork_app::tasks::NewTask;
use fieldwork_app::visits::{is_far, CheckedOut, NextStep, Visit, VisitForCheckIn, VisitForCheckOut};

/// Checks the caller in: at an appointment of their own, or a contact or listing in their
/// scope; one visit at a time. The distance to the place visited is kept, and a check-in far
/// from it (beyond the fix's accuracy) is flagged.
pub async fn check_in(act: &Act<'_>, tx: &mut WriteTx, body: &VisitForCheckIn) -> AppResult<Visit> {
    let (ctx, scope) = (act.ctx, act.scope().await?);
    let now = chrono::Utc::now();
    let body = body.validate(now).map_err(AppError::Validation)?;
    let (mut contact_id, mut listing_id, mut target) = (body.contact_id, body.listing_id, None::<GeoPoint>);
    if let Some(id) = body.appointment_id {
        // Only the assignee visits an appointment.
        let appointment = appointments::store::get(tx.conn(), &Scope::own(ctx), id)
            .await
            .map_err(|e| field_error(e, "appointment_id"))?;
        contact_id = contact_id.or(appointment.contact_id);
        listing_id = listing_id.or(appointment.listing_id);
        target = appointment.location;
    }
    if let Some(id) = contact_id {
        let contact =
            contacts::store::get(tx.conn(), scope, &id.to_string()).await.map_err(|e| field_error(e, "contact_id"))?;
        target = target.or(contact.location);
    }
    if let Some(id) = listing_id {
        let (_, location) =
            listings::store::place(tx.conn(), scope, id).await.map_err(|e| field_error(e, "listing_id"))?;
        target = target.or(location);
    }
    if let Some(open) = store::open_of(tx.conn(), ctx.user_id()).await? {
        return Err(AppError::Conflict(format!(
            "you are still checked in since {}; check out of that visit first (visit {})",
            open.check_in_at.with_timezone(&ctx.zone()).format("%H:%M"),
            open.id
        )));
    }
    let distance_m = body.position.zip(target).map(|(p, t)| (p.distance_m(&t) * 10.0).round() / 10.0);
    let visit = store::check_in(
        tx,
        &CheckIn {
            id: body.id.unwrap_or_default(),
            rep: ctx.user_id(),
            contact_id,
            listing_id,
            appointment_id: body.appointment_id,
            at: body.at.unwrap_or(now),
            position: body.position,
            accuracy_m: body.accuracy_m,
            distance_m,
            far: distance_m.is_some_and(|d| is_far(d, body.accuracy_m)),
        },
    )
    .await?;
    audit::record(
        tx,
        Some(ctx.user_id()),
        "visit",
        &visit.id.to_string(),
        "check_in",
        serde_json::json!({"distance_m": visit.distance_m, "far": visit.far}),
    )
    .await?;
    Ok(visit)
}

/// Checks the caller out of their open visit `id` with an outcome and the next step (a
/// follow-up or the next appointment, made in the same transaction); the visited appointment
/// is done, the contact is no longer stale and is asked for feedback.
pub async fn check_out(act: &Act<'_>, tx: &mut WriteTx, id: VisitId, body: &VisitForCheckOut) -> AppResult<CheckedOut> {
    let (state, ctx) = (act.state, act.ctx);
    // Only the rep who checked in checks out.
    let own = Scope::own(ctx);
    let visit = store::get(tx.conn(), &own, id).await?;
    if !visit.is_open() {
        return Err(AppError::Conflict("this visit is already checked out".into()));
    }
    // The check-out form's questions: those that apply to this visit and outcome.
    let showing = visit.listing_id.is_some()
        || match visit.appointment_id {
            Some(a) => appointments::store::get(tx.conn(), &Scope::All, a).await?.kind == AppointmentKind::Showing,
            None => false,
        };
    let defs = fields::actions::definitions(tx, RecordType::Visit).await?;
    // Every question may be answered; those that apply and are required must be.
    let asked = fieldwork_app::fields::asked(&defs, showing, &body.outcome);
    let questions: Vec<FieldDef> = defs
        .into_iter()
        .map(|d| FieldDef { required: d.required && asked.iter().any(|a| a.id == d.id), ..d })
        .collect();
    let answers = fields::actions::values_for(act, &questions, None, &body.custom);
    let (out, answers) = fields::actions::together(
        body.validate(&state.settings.visit_outcomes, visit.check_in_at, chrono::Utc::now()),
        answers,
    )?;
    let (mut follow_up_id, mut appointment_id) = (None, None);
    match &out.next_step {
        Some(NextStep::FollowUp { title, due_at }) => {
            let task = NewTask {
                id: Default::default(),
                title: title.trim().to_string(),
                contact_id: visit.contact_id,
                deal_id: None,
                assignee_id: None,
                due_at: *due_at,
            };
            follow_up_id = Some(tasks::actions::follow_up(tx, &task, ctx.user_id()).await?.id);
        }
        Some(NextStep::Appointment { title, starts_at, ends_at }) => {
            let next = NewAppointment {
                id: Default::default(),
                kind: AppointmentKind::Meeting,
                title: title.trim().to_string(),
                starts_at: *starts_at,
                ends_at: ends_at.unwrap_or(*starts_at + chrono::Duration::minutes(DEFAULT_MINUTES)),
                time_zone: None,
                assignee_id: None,
                contact_id: visit.contact_id,
                listing_id: visit.listing_id,
                address: None,
                location: None,
                reminder_minutes: None,
                notes: None,
                recurrence: None,
                allow_overlap: true,
                custom: serde_json::Map::new(),
            };
            let zone = &ctx.user.time_zone;
            appointment_id = Some(appointments::actions::next_after_visit(tx, &next, ctx.user_id(), zone).await?.id);
        }
        None => {}
    }
    let summary = out.next_step.as_ref().map(|s| s.title().trim().to_string());
    let visit = store::check_out(tx, id, &out, summary.as_deref(), &answers).await?;
    fields::actions::keep_index(tx, &visit.id.to_string(), &questions, &answers).await?;
    if let Some(appointment) = visit.appointment_id {
        appointments::actions::visited(tx, appointment).await?;
    }
    if let Some(contact) = visit.contact_id {
        contacts::actions::note_activity(tx, contact, out.at.timestamp_millis()).await?;
        let contact = contacts::store::get(tx.conn(), &Scope::All, &contact.to_string()).await?;
        crate::feedback::actions::request(tx, &state.settings.link_base(), &visit, &contact, &ctx.user).await?;
    }
    audit::record(
        tx,
        Some(ctx.user_id()),
        "visit",
        &visit.id.to_string(),
        "check_out",
        serde_json::json!({"outcome": visit.outcome, "follow_up_id": follow_up_id, "appointment_id": appointment_id,
            "answers": visit.custom}),
    )
    .await?;
    Ok(CheckedOut { visit, follow_up_id, appointment_id })
}

impl Syncable for Visit {
    const ENTITY: Entity = Entity::Visit;
    /// A visit changes once, forward: the check-out.
    const MERGED: bool = false;

    async fn create(act: &Act<'_>, tx: &mut WriteTx, id: &str, fields: Fields) -> AppResult<Visit> {
        check_in(act, tx, &entity::body(fields, Some(id))?).await
    }

    async fn update(act: &Act<'_>, tx: &mut WriteTx, id: &str, fields: Fields) -> AppResult<Visit> {
        Ok(check_out(act, tx, entity::id(id)?, &entity::body(fields, None)?).await?.visit)
    }
}
