//! Typed calls for the agenda and scheduling.

use super::local::{lay_over, Names};
use super::{AgendaItem, Appointment, AppointmentForCreate, AppointmentForUpdate, Today};
use crate::client::{self, Method};
use crate::common::{ApiError, AppointmentId, Page, TimeZone};
use crate::offline::outbox::{self, Saved};
use crate::offline::read::read_through;
use crate::offline::{engine, local};
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
        Ok(with_local(items, (from, to), false).await)
    };
    read_through(network, async {
        let raw = local::meta(&key).await.ok().flatten();
        let fetched = raw.and_then(|raw| serde_json::from_str(&raw).ok()).unwrap_or_default();
        Some(with_local(fetched, (from, to), true).await)
    })
    .await
}

/// `items` with the user's own one-off appointments from the local store laid over them:
/// without a network all of them (the store is the truth for what the device made or
/// synced); with one only those with changes still waiting to be pushed.
async fn with_local(items: Vec<AgendaItem>, window: (DateTime<Utc>, DateTime<Utc>), offline: bool) -> Vec<AgendaItem> {
    let Some(me) = engine::current_user() else { return items };
    let mut own: Vec<Appointment> = local::all(Entity::Appointment).await.unwrap_or_default();
    if !offline {
        let waiting: Vec<String> = local::outbox(me)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|m| m.entity == Entity::Appointment)
            .map(|m| m.id)
            .collect();
        own.retain(|a| waiting.contains(&a.id.to_string()));
    }
    if own.is_empty() {
        return items;
    }
    let complete = offline && local::meta(&format!("cursor:{me}")).await.ok().flatten().is_some_and(|c| !c.is_empty());
    let mut contacts = std::collections::HashMap::new();
    let mut listings = std::collections::HashMap::new();
    for a in &own {
        if let Some(c) = a.contact_id {
            if let Ok(Some(found)) = local::one::<crate::contacts::Contact>(Entity::Contact, &c.to_string()).await {
                contacts.insert(c, found.name);
            }
        }
        if let Some(l) = a.listing_id {
            if let Ok(Some(found)) = local::one::<crate::listings::Listing>(Entity::Listing, &l.to_string()).await {
                listings.insert(l, found.title);
            }
        }
    }
    let assignee = crate::session::device_user().map(|u| u.name).unwrap_or_default();
    lay_over(items, &own, me, window, complete, |a, before| Names {
        assignee: assignee.clone(),
        contact: a
            .contact_id
            .and_then(|c| contacts.get(&c).cloned())
            .or_else(|| before.and_then(|b| b.contact_name.clone())),
        listing: a
            .listing_id
            .and_then(|l| listings.get(&l).cloned())
            .or_else(|| before.and_then(|b| b.listing_title.clone())),
    })
}

/// The browser's local day as a window of instants.
fn local_day(date: chrono::NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = |d: chrono::NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(chrono::Local).earliest())
            .map_or_else(|| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(), |t| t.with_timezone(&Utc))
    };
    (start(date), start(date.succ_opt().unwrap_or(date)))
}

/// Today's agenda, "today" being the signed-in user's local day. Offline (or when the server
/// is slow) the last agenda fetched today, with the visits this device made since.
pub async fn today() -> Result<Today, ApiError> {
    let key = today_key();
    let network = async { Ok(keep_today(client::get("/today").await?).await) };
    read_through(network, async {
        let raw = local::meta(&key).await.ok().flatten()?;
        let mut day: Today = serde_json::from_str(&raw).ok()?;
        day.items = with_local(std::mem::take(&mut day.items), local_day(day.date), true).await;
        let visits = local::all::<crate::visits::Visit>(Entity::Visit).await.unwrap_or_default();
        Some(super::today::with_local_visits(day, &visits))
    })
    .await
}

/// The day as the server sent it (from `GET /today`, or drawn into the page): kept on this
/// device for opening Today offline, with this device's changes not yet synced laid over it.
pub async fn keep_today(mut day: Today) -> Today {
    if let Ok(json) = serde_json::to_string(&day) {
        let _ = local::set_meta(&today_key(), &json).await;
    }
    day.items = with_local(std::mem::take(&mut day.items), local_day(day.date), false).await;
    day
}

/// Where this device keeps the signed-in user's last day.
fn today_key() -> String {
    format!("today:{}", engine::current_user().map(|u| u.to_string()).unwrap_or_default())
}

/// Schedules an appointment: kept on this device and in its outbox first, so it is made with
/// or without a network (online, the server's answer — or its refusal, such as an overlap —
/// comes back within a few seconds).
pub async fn create(body: AppointmentForCreate) -> Result<Appointment, ApiError> {
    let new = body.validate().map_err(|e| ApiError::validation(&e))?;
    let me = engine::current_user().unwrap_or_default();
    // The device's copy until the server's record replaces it (in the assignee's zone when the
    // form gave none); its zone is neither shown nor sent, so UTC does when no user is kept here.
    let zone = crate::session::device_user()
        .map_or_else(|| TimeZone::parse("UTC").expect("UTC is a time zone"), |u| u.time_zone);
    let local = new.to_local(me, &zone);
    let body = AppointmentForCreate { id: Some(new.id), ..body };
    outbox::create((Entity::Appointment, new.id.to_string()), &body, &local).await.map(Saved::into_record)
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

/// Changes an appointment (reschedule, status, skip an occurrence…) through the outbox: only
/// the fields that differ from the appointment as this device knows it, each with the value it
/// replaces, so an offline change merges field by field with changes that reached the server
/// first. The status only moves forward from `scheduled`.
pub async fn update(id: AppointmentId, body: AppointmentForUpdate) -> Result<Appointment, ApiError> {
    let path = format!("/appointments/{id}");
    let current = outbox::known((Entity::Appointment, &id.to_string()), client::get(&path)).await?;
    let next = body.apply(&current).map_err(|e| ApiError::validation(&e))?;
    outbox::update((Entity::Appointment, id.to_string()), (&current, current.version), &body, |_| next).await
}

/// Where the appointment downloads as an `.ics` file.
pub fn ics_url(id: AppointmentId) -> String {
    format!("/api/v1/appointments/{id}/ics")
}
