//! `/api/v1/appointments`: the agenda in the caller's scope, scheduling (for yourself, or for
//! someone in your scope), rescheduling, cancelling, `.ics` downloads; `/api/v1/today`.

use super::{actions, ics, store};
use crate::act::Act;
use crate::auth::Ctx;
use crate::error::{ApiJson, AppError, AppResult};
use crate::{contacts, state::AppState};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use chrono::{DateTime, Utc};
use fieldwork_app::appointments::{AgendaItem, Appointment, AppointmentForCreate, AppointmentForUpdate, Today};
use fieldwork_app::common::{AppointmentId, ErrorBody, FieldError, FieldErrors, Page, UserId};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_appointments, create_appointment))
        .routes(routes!(get_appointment, update_appointment, delete_appointment))
        .routes(routes!(appointment_ics))
        .routes(routes!(today))
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
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let appointment = actions::schedule(&act, &mut tx, &body).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(appointment)))
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
    let scope = ctx.scope(&state.db).await?.clone();
    let items = store::agenda(&state.db, &scope, from.timestamp_millis(), to.timestamp_millis(), assignee).await?;
    if items.len() > store::AGENDA_LIMIT {
        return Err(AppError::BadRequest(format!(
            "the window holds more than {} appointments; choose a shorter one or one assignee",
            store::AGENDA_LIMIT
        )));
    }
    Ok(Json(Page { items, next_cursor: None, total: None }))
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
    let scope = ctx.scope(&state.db).await?.clone();
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
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let saved = actions::change(&act, &mut tx, id, &body).await?;
    tx.commit().await?;
    Ok(Json(saved))
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
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    actions::delete(&act, &mut tx, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
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
    let scope = ctx.scope(&state.db).await?.clone();
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
    super::day::today(&state, &ctx).await.map(Json)
}
