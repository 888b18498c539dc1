//! Private calendar feeds: each user's appointments as an iCalendar URL with a secret token,
//! for Google Calendar, Outlook and Apple Calendar to subscribe to. Rotating the token makes
//! the old URL stop working.

use super::{ics, store};
use crate::act::Act;
use crate::auth::Ctx;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::common::ErrorBody;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_feed)).routes(routes!(rotate_feed)).routes(routes!(calendar_feed))
}

/// `{"url": …}`: where a calendar app subscribes to the user's appointments.
#[derive(Debug, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct CalendarFeed {
    pub url: String,
}

/// How far back a feed reaches.
const FEED_PAST_DAYS: i64 = 90;

/// The address the app is reached at: `FIELDWORK_PUBLIC_URL`, else the request's host.
pub(crate) fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.settings.public_url {
        return url.clone();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let forwarded = headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok());
    let scheme = forwarded.unwrap_or(if state.settings.secure_cookies { "https" } else { "http" });
    format!("{scheme}://{host}")
}

fn feed_url(state: &AppState, headers: &HeaderMap, token: &str) -> CalendarFeed {
    CalendarFeed { url: format!("{}/api/v1/calendar/{token}.ics", base_url(state, headers)) }
}

/// The signed-in user's private feed URL (made on first request).
#[utoipa::path(get, path = "/me/calendar-feed", tag = "appointments",
    responses((status = 200, body = CalendarFeed), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn my_feed(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap) -> AppResult<Json<CalendarFeed>> {
    let token = match crate::users::store::calendar_token(&state.db, ctx.user_id()).await? {
        Some(token) => token,
        None => new_token(&state, &ctx).await?,
    };
    Ok(Json(feed_url(&state, &headers, &token)))
}

/// A new secret for the feed: the old URL stops working at once.
#[utoipa::path(post, path = "/me/calendar-feed/rotate", tag = "appointments",
    responses((status = 200, body = CalendarFeed), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn rotate_feed(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap) -> AppResult<Json<CalendarFeed>> {
    let token = new_token(&state, &ctx).await?;
    Ok(Json(feed_url(&state, &headers, &token)))
}

async fn new_token(state: &AppState, ctx: &Ctx) -> AppResult<String> {
    let act = Act::new(state, ctx);
    let mut tx = state.db.begin_write().await?;
    let token = crate::users::actions::rotate_calendar_feed(&act, &mut tx).await?;
    tx.commit().await?;
    Ok(token)
}

/// The feed itself (no sign-in: the secret in the URL is the key). The user's appointments
/// from 90 days ago on, cancelled ones as `STATUS:CANCELLED`, series as `RRULE`/`EXDATE`.
#[utoipa::path(get, path = "/calendar/{file}", tag = "appointments", params(("file" = String, Path, description = "`{token}.ics`")),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn calendar_feed(State(state): State<AppState>, Path(file): Path<String>) -> AppResult<impl IntoResponse> {
    let token =
        file.strip_suffix(".ics").filter(|t| t.starts_with("fwc_") && t.len() < 100).ok_or(AppError::NotFound)?;
    let user = crate::users::store::by_calendar_token(&state.db, token).await?;
    let now = chrono::Utc::now();
    let from = (now - chrono::Duration::days(FEED_PAST_DAYS)).timestamp_millis();
    let rows = store::feed(&state.db, user.id, from).await?;
    let entries: Vec<ics::Entry<'_>> =
        rows.iter().map(|(a, name)| ics::Entry { appointment: a, contact_name: name.as_deref() }).collect();
    let body = ics::calendar(&format!("Fieldwork — {}", user.name), &entries, now);
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "private, max-age=300")],
        body,
    ))
}
