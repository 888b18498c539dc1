//! The business steps on appointments: schedule (for yourself, or for someone in your scope),
//! change (reschedule, reassign, set the status, skip an occurrence) and delete; and the steps a
//! check-out takes on them.

use super::store;
use crate::act::Act;
use crate::auth::Ctx;
use crate::db::WriteTx;
use crate::error::{field_error, AppError, AppResult};
use crate::state::AppState;
use crate::sync::entity::{self, Fields, Syncable};
use crate::{audit, contacts, fields, listings};
use chrono::{DateTime, Utc};
use fieldwork_app::appointments::{
    Appointment, AppointmentForCreate, AppointmentForUpdate, AppointmentStatus, NewAppointment,
};
use fieldwork_app::common::{AppointmentId, TimeZone, UserId};
use fieldwork_app::fields::RecordType;
use fieldwork_app::sync::Entity;

/// Schedules an appointment: the zone defaults to the assignee's; its contact and listing must
/// be in scope; an overlap with another of the assignee's is refused unless allowed; someone
/// scheduled by another is told.
pub async fn schedule(act: &Act<'_>, tx: &mut WriteTx, body: &AppointmentForCreate) -> AppResult<Appointment> {
    let (state, ctx, scope) = (act.state, act.ctx, act.scope().await?);
    let defs = fields::actions::definitions(tx, RecordType::Appointment).await?;
    let custom = fields::actions::values_for(act, &defs, None, &body.custom);
    let (new, custom) = fields::actions::together(body.validate(), custom)?;
    let assignee = new.assignee_id.unwrap_or(ctx.user_id());
    crate::scope::check_user(&state.db, scope, assignee, "assignee_id").await?;
    let zone = match &new.time_zone {
        Some(zone) => zone.clone(),
        None => crate::users::store::by_id(&state.db, assignee).await?.time_zone,
    };
    if let Some(contact) = new.contact_id {
        contacts::store::get(tx.conn(), scope, &contact.to_string()).await.map_err(|e| field_error(e, "contact_id"))?;
    }
    if let Some(listing) = new.listing_id {
        listings::store::place(tx.conn(), scope, listing).await.map_err(|e| field_error(e, "listing_id"))?;
    }
    if !new.allow_overlap {
        refuse_overlaps(state, ctx, assignee, new.starts_at, new.ends_at, None).await?;
    }
    let appointment = store::insert(tx, &new, assignee, &zone, &custom).await?;
    fields::actions::keep_index(tx, &appointment.id.to_string(), &defs, &custom).await?;
    if assignee != ctx.user_id() {
        let user = crate::users::store::by_id(&state.db, assignee).await?;
        let notice = crate::notifications::Notice::Appointment {
            appointment: appointment.id.to_string(),
            title: appointment.title.clone(),
            starts_at: appointment.starts_at,
            by: ctx.user.name.clone(),
        };
        let key = format!("appointment:{}", appointment.id);
        crate::notifications::notify(tx, &state.settings.link_base(), &user, &notice, &key).await?;
    }
    audit::record(
        tx,
        Some(ctx.user_id()),
        "appointment",
        &appointment.id.to_string(),
        "create",
        serde_json::json!({"title": appointment.title, "starts_at": appointment.starts_at}),
    )
    .await?;
    Ok(appointment)
}

/// Changes an appointment in scope. The status only moves forward, from `scheduled`; a stale
/// `version` is refused.
pub async fn change(
    act: &Act<'_>,
    tx: &mut WriteTx,
    id: AppointmentId,
    body: &AppointmentForUpdate,
) -> AppResult<Appointment> {
    let (state, ctx, scope) = (act.state, act.ctx, act.scope().await?);
    let current = &store::get(tx.conn(), scope, id).await?;
    if body.version.is_some_and(|v| v != current.version) {
        return Err(AppError::Conflict("the appointment changed since you loaded it; reload and try again".into()));
    }
    let defs = match body.custom {
        Some(_) => fields::actions::definitions(tx, RecordType::Appointment).await?,
        None => vec![],
    };
    let custom =
        body.custom.as_ref().map(|changes| fields::actions::values_for(act, &defs, Some(&current.custom), changes));
    let (mut next, custom) = fields::actions::together(body.apply(current), custom.transpose())?;
    if let Some(custom) = custom {
        fields::actions::keep_index(tx, &id.to_string(), &defs, &custom).await?;
        next.custom = custom;
    }
    if next.assignee_id != current.assignee_id {
        crate::scope::check_user(&state.db, scope, next.assignee_id, "assignee_id").await?;
    }
    if body.reschedules() && !body.allow_overlap && next.status == AppointmentStatus::Scheduled {
        refuse_overlaps(state, ctx, next.assignee_id, next.starts_at, next.ends_at, Some(current.id)).await?;
    }
    let saved = store::update(tx, &next).await?;
    audit::record(
        tx,
        Some(ctx.user_id()),
        "appointment",
        &current.id.to_string(),
        "update",
        serde_json::json!({"status": saved.status, "starts_at": saved.starts_at, "assignee_id": saved.assignee_id}),
    )
    .await?;
    Ok(saved)
}

/// Deletes an appointment in scope (a series with all its occurrences).
pub async fn delete(act: &Act<'_>, tx: &mut WriteTx, id: AppointmentId) -> AppResult<()> {
    let ctx = act.ctx;
    let current = store::get(tx.conn(), act.scope().await?, id).await?;
    store::delete(tx, id).await?;
    audit::record(
        tx,
        Some(ctx.user_id()),
        "appointment",
        &id.to_string(),
        "delete",
        serde_json::json!({"title": current.title}),
    )
    .await?;
    Ok(())
}

/// 409 naming the appointments a new time collides with, unless the caller allowed it.
async fn refuse_overlaps(
    state: &AppState,
    ctx: &Ctx,
    assignee: UserId,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    except: Option<AppointmentId>,
) -> AppResult<()> {
    let clashes = store::overlapping(&state.db, assignee, starts, ends, except).await?;
    let Some(first) = clashes.first() else { return Ok(()) };
    let zone = ctx.zone();
    let when = |t: DateTime<Utc>| t.with_timezone(&zone).format("%H:%M").to_string();
    let more = if clashes.len() > 1 { format!(" and {} more", clashes.len() - 1) } else { String::new() };
    Err(AppError::Conflict(format!(
        "overlaps “{}” ({}–{}, {}){more}; send allow_overlap to keep both",
        first.title,
        when(first.starts_at),
        when(first.ends_at),
        first.starts_at.with_timezone(&zone).format("%-d %b")
    )))
}

/// The next appointment a check-out sets for the rep `by` (checked as part of the check-out).
pub(crate) async fn next_after_visit(
    tx: &mut WriteTx,
    new: &NewAppointment,
    by: UserId,
    zone: &TimeZone,
) -> AppResult<Appointment> {
    Ok(store::insert(tx, new, by, zone, &fieldwork_app::fields::CustomValues::new()).await?)
}

/// The appointment was visited and checked out of: it is done.
pub(crate) async fn visited(tx: &mut WriteTx, id: AppointmentId) -> AppResult<()> {
    Ok(store::mark_done(tx, id).await?)
}

impl Syncable for Appointment {
    const ENTITY: Entity = Entity::Appointment;

    async fn read(act: &Act<'_>, tx: &mut WriteTx, id: &str) -> AppResult<Appointment> {
        Ok(store::get(tx.conn(), act.scope().await?, entity::id(id)?).await?)
    }

    fn version(&self) -> i64 {
        self.version
    }

    async fn create(act: &Act<'_>, tx: &mut WriteTx, id: &str, fields: Fields) -> AppResult<Appointment> {
        schedule(act, tx, &entity::body(fields, Some(id))?).await
    }

    /// Field by field like a contact; the status only moves forward.
    async fn update(act: &Act<'_>, tx: &mut WriteTx, id: &str, fields: Fields) -> AppResult<Appointment> {
        change(act, tx, entity::id(id)?, &entity::body(fields, None)?).await
    }

    async fn delete(act: &Act<'_>, tx: &mut WriteTx, id: &str) -> AppResult<()> {
        delete(act, tx, entity::id(id)?).await
    }
}
