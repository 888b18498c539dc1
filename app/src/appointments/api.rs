//! Typed calls for the agenda and scheduling.

use super::{AgendaItem, Appointment, AppointmentForCreate, AppointmentForUpdate, Today};
use crate::client::{self, Method};
use crate::common::{ApiError, AppointmentId, Page};
use crate::offline::local;
use crate::offline::read::read_through;
use crate::sync::Entity;
use chrono::{DateTime, Utc};

/// Appointments starting in `[from, to)` in the caller's scope.
/// Without a network, the same range as last fetched on this device (a calendar week or day
/// the rep looked at), so the calendar still shows what was planned.
pub async fn between(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<AgendaItem>, ApiError> {
    let path = format!("/appointments{}", client::query(&[("from", &from.to_rfc3339()), ("to", &to.to_rfc3339())]));
    let user = crate::offline::engine::current_user().map(|u| u.to_string()).unwrap_or_default();
    let key = format!("agenda:{user}:{}:{}", from.timestamp(), to.timestamp());
    let network = async {
        let items = client::get::<Page<AgendaItem>>(&path).await?.items;
        if let Ok(json) = serde_json::to_string(&items) {
            let _ = local::set_meta(&key, &json).await;
        }
        Ok(items)
    };
    read_through(network, async {
        let raw = local::meta(&key).await.ok().flatten()?;
        serde_json::from_str(&raw).ok()
    })
    .await
}

/// Today's agenda, "today" being the signed-in user's local day. Offline (or when the server
/// is slow) the last agenda fetched today, with the visits this device made since.
pub async fn today() -> Result<Today, ApiError> {
    let user = crate::offline::engine::current_user().map(|u| u.to_string()).unwrap_or_default();
    let key = format!("today:{user}");
    let network = async {
        let day: Today = client::get("/today").await?;
        if let Ok(json) = serde_json::to_string(&day) {
            let _ = local::set_meta(&key, &json).await;
        }
        Ok(day)
    };
    read_through(network, async {
        let raw = local::meta(&format!("today:{user}")).await.ok().flatten()?;
        let day: Today = serde_json::from_str(&raw).ok()?;
        let visits = local::all::<crate::visits::Visit>(Entity::Visit).await.unwrap_or_default();
        Some(super::today::with_local_visits(day, &visits))
    })
    .await
}

/// Schedules an appointment.
pub async fn create(body: AppointmentForCreate) -> Result<Appointment, ApiError> {
    client::send(Method::Post, "/appointments", &body).await
}

#[derive(serde::Deserialize)]
struct Feed {
    url: String,
}

/// The signed-in user's private calendar feed URL.
pub async fn calendar_feed() -> Result<String, ApiError> {
    client::get::<Feed>("/me/calendar-feed").await.map(|f| f.url)
}

/// A new feed URL; the old one stops working.
pub async fn rotate_calendar_feed() -> Result<String, ApiError> {
    client::send::<_, Feed>(Method::Post, "/me/calendar-feed/rotate", &serde_json::json!({})).await.map(|f| f.url)
}

/// Changes an appointment (reschedule, status, skip an occurrence…).
pub async fn update(id: AppointmentId, body: AppointmentForUpdate) -> Result<Appointment, ApiError> {
    client::send(Method::Patch, &format!("/appointments/{id}"), &body).await
}

/// Where the appointment downloads as an `.ics` file.
pub fn ics_url(id: AppointmentId) -> String {
    format!("/api/v1/appointments/{id}/ics")
}
