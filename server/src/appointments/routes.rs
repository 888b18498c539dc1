//! `/api/v1/appointments`: the agenda in the caller's scope, scheduling (for yourself, or for
//! someone in your scope), rescheduling, cancelling, `.ics` downloads; `/api/v1/today`.

use super::{ics, store};
use crate::auth::Ctx;
use crate::db::WriteTx;
use crate::error::{field_error, ApiJson, AppError, AppResult};
use crate::scope::Scope;
use crate::{audit, contacts, listings, AppState};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::{DateTime, Utc};
use fieldwork_app::appointments::{
    AgendaItem, Appointment, AppointmentForCreate, AppointmentForUpdate, AppointmentStatus, Today,
};
use fieldwork_app::common::{AppointmentId, ErrorBody, FieldError, FieldErrors, Page, UserId};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_appointments, create_appointment))
        .routes(routes!(get_appointment, update_appointment, delete_appointment))
        .routes(routes!(appointment_ics))
        .routes(routes!(today))
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

/// Schedule an appointment. Reps schedule for themselves; managers, office staff and admins
/// for anyone in their scope. The zone defaults to the assignee's. An appointment that overlaps
/// another of the assignee's answers 409 unless `allow_overlap` is set.
#[utoipa::path(post, path = "/appointments", tag = "appointments", request_body = AppointmentForCreate,
    responses((status = 201, body = Appointment), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn create_appointment(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<AppointmentForCreate>,
) -> AppResult<impl IntoResponse> {
    let scope = Scope::of(&state.db, &ctx).await?;
    let mut tx = state.db.begin_write().await?;
    let appointment = create_in(&state, &ctx, &scope, &mut tx, &body).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(appointment)))
}

/// Checks and writes a new appointment inside `tx` (the route and the sync push both use it).
pub async fn create_in(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
    tx: &mut WriteTx,
    body: &AppointmentForCreate,
) -> AppResult<Appointment> {
    let new = body.validate().map_err(AppError::Validation)?;
    let assignee = new.assignee_id.unwrap_or(ctx.user_id());
    crate::scope::check_user(&state.db, scope, assignee, "assignee_id").await?;
    let zone = match &new.time_zone {
        Some(zone) => zone.as_str().to_string(),
        None => crate::users::store::by_id(&state.db, assignee).await?.time_zone.as_str().to_string(),
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
    let appointment = store::insert(tx, &new, assignee, &zone).await?;
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

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct AgendaParams {
    /// Start of the window (RFC 3339), inclusive.
    from: String,
    /// End of the window (RFC 3339), exclusive; at most 62 days after `from`.
    to: String,
    /// Only this assignee's appointments.
    assignee: Option<String>,
}

/// Appointments starting in a window, by start time; a recurring series yields each of its
/// occurrences in the window (same `id`, `recurring: true`).
#[utoipa::path(get, path = "/appointments", tag = "appointments", params(AgendaParams),
    responses((status = 200, body = Page<AgendaItem>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_appointments(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<AgendaParams>,
) -> AppResult<Json<Page<AgendaItem>>> {
    let mut errors = FieldErrors::new();
    let instant = |raw: &str| {
        DateTime::parse_from_rfc3339(raw).map(|d| d.with_timezone(&Utc)).map_err(|_| FieldError::NotAllowed)
    };
    let from = errors.check("from", instant(&params.from));
    let to = errors.check("to", instant(&params.to));
    let assignee =
        params.assignee.as_deref().filter(|a| !a.is_empty()).map(|a| UserId::parse(a).ok_or(FieldError::NotAllowed));
    let assignee = assignee.and_then(|a| errors.check("assignee", a));
    if let (Some(f), Some(t)) = (from, to) {
        if t <= f || (t - f).num_days() > 62 {
            errors.add("to", FieldError::NotAllowed);
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (from, to) = (from.unwrap_or_default(), to.unwrap_or_default());
    let scope = Scope::of(&state.db, &ctx).await?;
    let items = store::agenda(&state.db, &scope, from.timestamp_millis(), to.timestamp_millis(), assignee).await?;
    if items.len() > store::AGENDA_LIMIT {
        return Err(AppError::BadRequest(format!(
            "the window holds more than {} appointments; choose a shorter one or one assignee",
            store::AGENDA_LIMIT
        )));
    }
    Ok(Json(Page { items, next_cursor: None }))
}

/// One appointment (a recurring one as its series: rule and skipped dates).
#[utoipa::path(get, path = "/appointments/{id}", tag = "appointments", params(("id" = String, Path)),
    responses((status = 200, body = Appointment), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn get_appointment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AppointmentId>,
) -> AppResult<Json<Appointment>> {
    let scope = Scope::of(&state.db, &ctx).await?;
    Ok(Json(store::get(state.db.pool(), &scope, id).await?))
}

/// Reschedule, reassign, rename, set the status (`done`, `cancelled`, `no_show`, only from
/// `scheduled`), change or end the recurrence, or skip one occurrence (`skip_date`). A new
/// time that overlaps another of the assignee's appointments answers 409 unless
/// `allow_overlap`; a stale `version` answers 409.
#[utoipa::path(patch, path = "/appointments/{id}", tag = "appointments", params(("id" = String, Path)),
    request_body = AppointmentForUpdate,
    responses((status = 200, body = Appointment), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn update_appointment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AppointmentId>,
    ApiJson(body): ApiJson<AppointmentForUpdate>,
) -> AppResult<Json<Appointment>> {
    let scope = Scope::of(&state.db, &ctx).await?;
    let current = store::get(state.db.pool(), &scope, id).await?;
    if body.version.is_some_and(|v| v != current.version) {
        return Err(AppError::Conflict("the appointment changed since you loaded it; reload and try again".into()));
    }
    let mut tx = state.db.begin_write().await?;
    let saved = update_in(&state, &ctx, &scope, &mut tx, &current, &body).await?;
    tx.commit().await?;
    Ok(Json(saved))
}

/// Checks and writes a change to `current` inside `tx` (the route and the sync push both use
/// it). The status only moves forward, from `scheduled`.
pub async fn update_in(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
    tx: &mut WriteTx,
    current: &Appointment,
    body: &AppointmentForUpdate,
) -> AppResult<Appointment> {
    let next = body.apply(current).map_err(AppError::Validation)?;
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

/// Delete an appointment (a series with all its occurrences). To keep it on record as not
/// happening, set its status to `cancelled` instead.
#[utoipa::path(delete, path = "/appointments/{id}", tag = "appointments", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn delete_appointment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AppointmentId>,
) -> AppResult<StatusCode> {
    let scope = Scope::of(&state.db, &ctx).await?;
    let mut tx = state.db.begin_write().await?;
    delete_in(&ctx, &scope, &mut tx, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes an appointment in the caller's scope inside `tx`.
pub async fn delete_in(ctx: &Ctx, scope: &Scope, tx: &mut WriteTx, id: AppointmentId) -> AppResult<()> {
    let current = store::get(tx.conn(), scope, id).await?;
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

/// The appointment as an iCalendar file to add to any calendar app.
#[utoipa::path(get, path = "/appointments/{id}/ics", tag = "appointments", params(("id" = String, Path)),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn appointment_ics(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<AppointmentId>,
) -> AppResult<impl IntoResponse> {
    let scope = Scope::of(&state.db, &ctx).await?;
    let appointment = store::get(state.db.pool(), &scope, id).await?;
    let contact_name = match appointment.contact_id {
        Some(c) => contacts::store::get(state.db.pool(), &scope, &c.to_string()).await.ok().map(|c| c.name),
        None => None,
    };
    let entry = ics::Entry { appointment: &appointment, contact_name: contact_name.as_deref() };
    let body = ics::calendar(&appointment.title, &[entry], Utc::now());
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"appointment-{id}.ics\"")),
        ],
        body,
    ))
}

/// The signed-in user's local day (in their time zone): the appointments in it (their own for
/// a rep, their team's for a manager, everyone's for office staff and admins), their own
/// follow-ups due by its end (overdue included) with the contacts' positions, and their visits
/// of the day.
#[utoipa::path(get, path = "/today", tag = "appointments",
    responses((status = 200, body = Today), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn today(State(state): State<AppState>, ctx: Ctx) -> AppResult<Json<Today>> {
    day_of(&state, &ctx).await.map(Json)
}

/// `GET /today`'s answer, which the server also draws into the Today page it renders.
pub async fn day_of(state: &AppState, ctx: &Ctx) -> AppResult<Today> {
    let zone = ctx.zone();
    let (date, from, to) = super::local_day(Utc::now(), zone);
    let scope = Scope::of(&state.db, ctx).await?;
    let (from, to) = (from.timestamp_millis(), to.timestamp_millis());
    let mut items = store::agenda(&state.db, &scope, from, to, None).await?;
    items.truncate(store::AGENDA_LIMIT);
    let follow_ups = crate::tasks::store::due_stops(&state.db, ctx.user_id(), to).await?;
    let mut visits = crate::visits::store::of_rep(&state.db, ctx.user_id(), from, to).await?;
    // A visit left open since an earlier day still needs its check-out.
    if let Some(open) = crate::visits::store::open_of(state.db.pool(), ctx.user_id()).await? {
        if !visits.iter().any(|v| v.id == open.id) {
            visits.insert(0, open);
        }
    }
    Ok(Today { date, time_zone: zone.name().to_string(), items, follow_ups, visits })
}
