//! `/api/v1/visits`: a rep checks in at a contact, listing or appointment and checks out with
//! an outcome and the next step (a follow-up or the next appointment, made in the same
//! transaction).

use super::store::{self, CheckIn};
use crate::auth::Ctx;
use crate::db::WriteTx;
use crate::error::{field_error, ApiJson, AppError, AppResult};
use crate::scope::Scope;
use crate::{appointments, audit, contacts, listings, tasks, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::appointments::{AppointmentKind, NewAppointment, DEFAULT_MINUTES};
use fieldwork_app::common::{ErrorBody, GeoPoint, VisitId};
use fieldwork_app::tasks::NewTask;
use fieldwork_app::visits::{is_far, CheckedOut, NextStep, Visit, VisitForCheckIn, VisitForCheckOut};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(check_in))
        .routes(routes!(get_visit))
        .routes(routes!(check_out))
        .routes(routes!(outcomes))
}

/// Check in: now (or when it happened, offline), where the phone is, how far that is from the
/// place visited. A check-in more than 300 m away (beyond the fix's accuracy) is flagged `far`.
/// One visit at a time: check out of the open one first.
#[utoipa::path(post, path = "/visits", tag = "visits", request_body = VisitForCheckIn,
    responses((status = 201, body = Visit), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn check_in(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<VisitForCheckIn>,
) -> AppResult<impl IntoResponse> {
    let scope = Scope::of(&state.db, &ctx).await?;
    let mut tx = state.db.begin_write().await?;
    let visit = check_in_in(&ctx, &scope, &mut tx, &body).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(visit)))
}

/// Checks the caller in inside the caller's transaction (the route, or a sync push).
pub(crate) async fn check_in_in(
    ctx: &Ctx,
    scope: &Scope,
    tx: &mut WriteTx,
    body: &VisitForCheckIn,
) -> AppResult<Visit> {
    let now = chrono::Utc::now();
    let body = body.validate(now).map_err(AppError::Validation)?;
    let (mut contact_id, mut listing_id, mut target) = (body.contact_id, body.listing_id, None::<GeoPoint>);
    if let Some(id) = body.appointment_id {
        // Only the assignee visits an appointment.
        let appointment = appointments::store::get(tx.conn(), &Scope::Users(vec![ctx.user_id()], ctx.today()), id)
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

/// One visit (a rep's own; a manager's team's).
#[utoipa::path(get, path = "/visits/{id}", tag = "visits", params(("id" = String, Path)),
    responses((status = 200, body = Visit), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn get_visit(State(state): State<AppState>, ctx: Ctx, Path(id): Path<VisitId>) -> AppResult<Json<Visit>> {
    let scope = Scope::of(&state.db, &ctx).await?;
    Ok(Json(store::get(state.db.pool(), &scope, id).await?))
}

/// Check out with an outcome from the configured list, notes, the buyer's reaction at a
/// showing, and the next step: a follow-up or the next appointment, created with the visit's
/// contact. The visited appointment becomes `done`.
#[utoipa::path(post, path = "/visits/{id}/checkout", tag = "visits", params(("id" = String, Path)),
    request_body = VisitForCheckOut,
    responses((status = 200, body = CheckedOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn check_out(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<VisitId>,
    ApiJson(body): ApiJson<VisitForCheckOut>,
) -> AppResult<Json<CheckedOut>> {
    let mut tx = state.db.begin_write().await?;
    let done = check_out_in(&state, &ctx, &mut tx, id, &body).await?;
    tx.commit().await?;
    Ok(Json(done))
}

/// Checks the caller out of their open visit `id` inside the caller's transaction.
pub(crate) async fn check_out_in(
    state: &AppState,
    ctx: &Ctx,
    tx: &mut WriteTx,
    id: VisitId,
    body: &VisitForCheckOut,
) -> AppResult<CheckedOut> {
    // Only the rep who checked in checks out.
    let own = Scope::Users(vec![ctx.user_id()], ctx.today());
    let visit = store::get(tx.conn(), &own, id).await?;
    if !visit.is_open() {
        return Err(AppError::Conflict("this visit is already checked out".into()));
    }
    let out = body
        .validate(&state.settings.visit_outcomes, visit.check_in_at, chrono::Utc::now())
        .map_err(AppError::Validation)?;
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
            follow_up_id = Some(tasks::store::insert(tx, &task, ctx.user_id()).await?.id);
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
            };
            let zone = ctx.zone().name().to_string();
            appointment_id = Some(appointments::store::insert(tx, &next, ctx.user_id(), &zone).await?.id);
        }
        None => {}
    }
    let summary = out.next_step.as_ref().map(|s| s.title().trim().to_string());
    let visit = store::check_out(tx, id, &out, summary.as_deref()).await?;
    if let Some(appointment) = visit.appointment_id {
        appointments::store::mark_done(tx, appointment).await?;
    }
    if let Some(contact) = visit.contact_id {
        let contact = contacts::store::get(tx.conn(), &Scope::All, &contact.to_string()).await?;
        crate::feedback::request(tx, &state.settings.link_base(), &visit, &contact, &ctx.user).await?;
    }
    audit::record(
        tx,
        Some(ctx.user_id()),
        "visit",
        &visit.id.to_string(),
        "check_out",
        serde_json::json!({"outcome": visit.outcome, "follow_up_id": follow_up_id, "appointment_id": appointment_id}),
    )
    .await?;
    Ok(CheckedOut { visit, follow_up_id, appointment_id })
}

/// The outcomes a rep picks from at check-out (`FIELDWORK_VISIT_OUTCOMES`).
#[utoipa::path(get, path = "/visits/outcomes", tag = "visits", responses((status = 200, body = Vec<String>)))]
async fn outcomes(State(state): State<AppState>, _ctx: Ctx) -> Json<Vec<String>> {
    Json(state.settings.visit_outcomes.clone())
}
