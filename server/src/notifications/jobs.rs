//! What time makes due, found on every round of the background worker: appointment reminders
//! and the 07:00 agenda. Nothing is held in memory between rounds: a notice is due when its
//! instant has passed and it was not given yet (`notices_given`), so a restart, a slow round or
//! two servers never lose or double one.

use super::{notify, Notice};
use crate::appointments;
use crate::db::{from_ms, StoreResult};
use crate::scope::Scope;
use crate::state::AppState;
use chrono::{DateTime, Timelike, Utc};
use fieldwork_app::appointments::MAX_REMINDER_MINUTES;
use fieldwork_app::users::Role;

/// The local hour the agenda goes out at; after noon a missed agenda is no longer sent.
pub const AGENDA_HOUR: u32 = 7;
const AGENDA_UNTIL_HOUR: u32 = 12;

/// What a round gave.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Given {
    pub reminders: usize,
    pub agendas: usize,
}

pub async fn run(state: &AppState, now: DateTime<Utc>) -> StoreResult<Given> {
    Ok(Given { reminders: reminders(state, now).await?, agendas: agendas(state, now).await? })
}

/// Reminders whose time has come for appointments that have not started: one-off, scheduled
/// appointments with a reminder (repeating series are not reminded yet).
async fn reminders(state: &AppState, now: DateTime<Utc>) -> StoreResult<usize> {
    let now_ms = now.timestamp_millis();
    type Row = (String, String, i64, String, Option<String>);
    let due: Vec<Row> = sqlx::query_as(
        "SELECT a.id, a.title, a.starts_at, a.assignee_id, a.address FROM appointments a \
         WHERE a.reminder_minutes IS NOT NULL AND a.deleted = 0 AND a.status = 'scheduled' AND a.recurrence IS NULL \
         AND a.starts_at > $1 AND a.starts_at <= $2 AND a.starts_at - a.reminder_minutes * 60000 <= $1 \
         AND NOT EXISTS (SELECT 1 FROM notices_given n WHERE n.key = 'reminder:' || a.id || ':' || CAST(a.starts_at AS TEXT)) \
         ORDER BY a.starts_at LIMIT 500",
    )
    .bind(now_ms)
    .bind(now_ms + i64::from(MAX_REMINDER_MINUTES) * 60_000)
    .fetch_all(state.db.pool())
    .await?;
    let mut given = 0;
    for (id, title, starts_at, assignee, address) in due {
        let Some(user_id) = fieldwork_app::common::UserId::parse(&assignee) else { continue };
        let user = crate::users::store::by_id(&state.db, user_id).await?;
        let notice = Notice::Reminder { appointment: id.clone(), title, starts_at: from_ms(starts_at), address };
        let mut tx = state.db.begin_write().await?;
        if notify(&mut tx, &state.settings.link_base(), &user, &notice, &format!("reminder:{id}:{starts_at}")).await? {
            given += 1;
        }
        tx.commit().await?;
    }
    Ok(given)
}

/// Each active rep's agenda for their local day, once, from 07:00 their time (until noon),
/// when the day holds appointments.
async fn agendas(state: &AppState, now: DateTime<Utc>) -> StoreResult<usize> {
    let reps = crate::users::store::list(&state.db).await?;
    let mut given = 0;
    for user in reps.into_iter().filter(|u| u.active && u.role == Role::Rep) {
        let zone = user.time_zone.tz();
        let hour = now.with_timezone(&zone).hour();
        if !(AGENDA_HOUR..AGENDA_UNTIL_HOUR).contains(&hour) {
            continue;
        }
        let (date, from, to) = appointments::day::local_day(now, zone);
        let key = format!("agenda:{}:{date}", user.id);
        let known: Option<String> = sqlx::query_scalar("SELECT key FROM notices_given WHERE key = $1")
            .bind(&key)
            .fetch_optional(state.db.pool())
            .await?;
        if known.is_some() {
            continue;
        }
        let own = Scope::Users(vec![user.id], date);
        let items: Vec<_> =
            appointments::store::agenda(&state.db, &own, from.timestamp_millis(), to.timestamp_millis(), Some(user.id))
                .await?
                .into_iter()
                .filter(|a| a.status == fieldwork_app::appointments::AppointmentStatus::Scheduled)
                .map(|a| {
                    let what = match &a.contact_name {
                        Some(name) => format!("{} — {name}", a.title),
                        None => a.title.clone(),
                    };
                    (a.starts_at, what)
                })
                .collect();
        if items.is_empty() {
            continue;
        }
        let mut tx = state.db.begin_write().await?;
        if notify(&mut tx, &state.settings.link_base(), &user, &Notice::Agenda { date, items }, &key).await? {
            given += 1;
        }
        tx.commit().await?;
    }
    Ok(given)
}
