//! `GET /api/v1/appointments?from&to&assignee`: the agenda in the caller's scope;
//! `POST /api/v1/appointments`: schedule one (for yourself, or for someone in your scope).

use super::store;
use crate::auth::Ctx;
use crate::error::ApiJson;
use crate::error::{AppError, AppResult};
use crate::scope::Scope;
use crate::{audit, contacts, AppState};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use chrono::{DateTime, Utc};
use fieldwork_app::appointments::{AgendaItem, Appointment, AppointmentForCreate, Today};
use fieldwork_app::common::{ErrorBody, FieldError, FieldErrors, Page, UserId};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_appointments, create_appointment)).routes(routes!(today))
}

/// Schedule an appointment. Reps schedule for themselves; managers, office staff and admins
/// for anyone in their scope. The zone defaults to the assignee's.
#[utoipa::path(post, path = "/appointments", tag = "appointments", request_body = AppointmentForCreate,
    responses((status = 201, body = Appointment), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn create_appointment(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<AppointmentForCreate>,
) -> AppResult<impl IntoResponse> {
    let new = body.validate().map_err(AppError::Validation)?;
    let scope = Scope::of(&state.db, &ctx).await?;
    let assignee = new.assignee_id.unwrap_or(ctx.user_id());
    crate::scope::check_user(&state.db, &scope, assignee, "assignee_id").await?;
    let zone = match &new.time_zone {
        Some(zone) => zone.as_str().to_string(),
        None => crate::users::store::by_id(&state.db, assignee).await?.time_zone.as_str().to_string(),
    };
    let mut tx = state.db.begin_write().await?;
    if let Some(contact) = new.contact_id {
        contacts::store::get(tx.conn(), &scope, &contact.to_string())
            .await
            .map_err(|e| crate::error::field_error(e, "contact_id"))?;
    }
    let appointment = store::insert(&mut tx, &new, assignee, &zone).await?;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "appointment",
        &appointment.id.to_string(),
        "create",
        serde_json::json!({"title": appointment.title, "starts_at": appointment.starts_at}),
    )
    .await?;
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

/// Appointments starting in a window, by start time.
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

/// The signed-in user's local day (in their time zone) and the appointments in it: their own
/// for a rep, their team's for a manager, everyone's for office staff and admins.
#[utoipa::path(get, path = "/today", tag = "appointments",
    responses((status = 200, body = Today), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn today(State(state): State<AppState>, ctx: Ctx) -> AppResult<Json<Today>> {
    let zone = ctx.zone();
    let (date, from, to) = super::local_day(Utc::now(), zone);
    let scope = Scope::of(&state.db, &ctx).await?;
    let mut items = store::agenda(&state.db, &scope, from.timestamp_millis(), to.timestamp_millis(), None).await?;
    items.truncate(store::AGENDA_LIMIT);
    Ok(Json(Today { date, time_zone: zone.name().to_string(), items }))
}
