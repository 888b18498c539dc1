//! Appointments: meetings, showings, calls and tasks on a rep's calendar.

use crate::common::validation::{optional_text, required_text};
use crate::common::{AppointmentId, ContactId, FieldError, FieldErrors, GeoPoint, ListingId, TimeZone, UserId};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum AppointmentKind {
    Meeting,
    Showing,
    Call,
    Task,
}

impl AppointmentKind {
    pub const ALL: [AppointmentKind; 4] = [Self::Meeting, Self::Showing, Self::Call, Self::Task];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Meeting => "meeting",
            Self::Showing => "showing",
            Self::Call => "call",
            Self::Task => "task",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// `scheduled → done | cancelled | no_show`; the three outcomes are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum AppointmentStatus {
    Scheduled,
    Done,
    Cancelled,
    NoShow,
}

impl AppointmentStatus {
    pub const ALL: [AppointmentStatus; 4] = [Self::Scheduled, Self::Done, Self::Cancelled, Self::NoShow];

    pub fn can_become(self, to: AppointmentStatus) -> bool {
        self == Self::Scheduled && to != Self::Scheduled
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
            Self::NoShow => "no_show",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// An appointment on the agenda, with the names a rep needs to recognise it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AgendaItem {
    pub id: AppointmentId,
    pub kind: AppointmentKind,
    pub title: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
    pub time_zone: TimeZone,
    pub status: AppointmentStatus,
    pub assignee_id: UserId,
    pub assignee_name: String,
    pub contact_id: Option<ContactId>,
    pub contact_name: Option<String>,
    pub listing_id: Option<ListingId>,
    pub listing_title: Option<String>,
    pub address: Option<String>,
    pub location: Option<GeoPoint>,
    /// One occurrence of a recurring series (`id` is the series'; `starts_at` tells them apart).
    #[serde(default)]
    pub recurring: bool,
    #[serde(default)]
    pub reminder_minutes: Option<i32>,
    /// The business's own appointment fields: key → value.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub custom: crate::fields::CustomValues,
}

impl AgendaItem {
    /// A key unique among occurrences of the same series.
    pub fn key(&self) -> String {
        format!("{}@{}", self.id, self.starts_at.timestamp())
    }

    /// The reminder is due: its time has come and the appointment has not started.
    pub fn reminder_due(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.status == AppointmentStatus::Scheduled
            && self
                .reminder_minutes
                .is_some_and(|m| self.starts_at - chrono::Duration::minutes(m.into()) <= now && now < self.starts_at)
    }

    /// The two overlap in time (touching ends do not).
    pub fn overlaps(&self, starts_at: chrono::DateTime<chrono::Utc>, ends_at: chrono::DateTime<chrono::Utc>) -> bool {
        self.starts_at < ends_at && starts_at < self.ends_at
    }
}

/// A follow-up due today (or overdue) at a contact: a flexible stop on Today's route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FollowUpStop {
    pub id: crate::common::TaskId,
    pub title: String,
    pub due_at: chrono::DateTime<chrono::Utc>,
    pub contact_id: Option<ContactId>,
    pub contact_name: Option<String>,
    pub address: Option<String>,
    pub location: Option<GeoPoint>,
}

/// `GET /api/v1/today`: the signed-in user's local day: the appointments in it, their own
/// follow-ups due by its end, and their visits of the day (an open one is checked in).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Today {
    pub date: chrono::NaiveDate,
    pub time_zone: TimeZone,
    pub items: Vec<AgendaItem>,
    #[serde(default)]
    pub follow_ups: Vec<FollowUpStop>,
    #[serde(default)]
    pub visits: Vec<crate::visits::Visit>,
}

/// How often a series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Frequency {
    Weekly,
    Monthly,
}

/// A repeating appointment (a weekly or monthly visit to a key account), in the appointment's
/// own zone: a 09:00 visit stays at 09:00 local time across DST changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Recurrence {
    pub frequency: Frequency,
    /// Every `interval` weeks or months (1 to 12).
    #[serde(default = "one")]
    pub interval: u16,
    /// The last local date an occurrence may fall on.
    #[serde(default)]
    pub until: Option<chrono::NaiveDate>,
    /// How many occurrences in all (1 to 500); not with `until`.
    #[serde(default)]
    pub count: Option<u32>,
}

fn one() -> u16 {
    1
}

impl Recurrence {
    pub fn validate(&self, first: chrono::NaiveDate) -> Result<(), FieldError> {
        let ok = (1..=12).contains(&self.interval)
            && self.count.is_none_or(|c| (1..=500).contains(&c))
            && !(self.count.is_some() && self.until.is_some())
            && self.until.is_none_or(|u| u >= first);
        if ok {
            Ok(())
        } else {
            Err(FieldError::NotAllowed)
        }
    }

    /// The RFC 5545 rule without its `UNTIL` (which needs the zone; see the server).
    pub fn rule_base(&self) -> String {
        let freq = match self.frequency {
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
        };
        let mut rule = format!("FREQ={freq};INTERVAL={}", self.interval);
        if let Some(count) = self.count {
            let _ = write!(rule, ";COUNT={count}");
        }
        rule
    }
}

/// An appointment as a whole record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Appointment {
    pub id: AppointmentId,
    pub kind: AppointmentKind,
    pub title: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
    /// The appointment's own IANA zone: 09:00 in Dhaka stays 09:00 in Dhaka.
    pub time_zone: TimeZone,
    pub assignee_id: UserId,
    pub contact_id: Option<ContactId>,
    pub listing_id: Option<ListingId>,
    pub address: Option<String>,
    pub location: Option<GeoPoint>,
    pub status: AppointmentStatus,
    pub reminder_minutes: Option<i32>,
    pub notes: Option<String>,
    #[serde(default)]
    pub recurrence: Option<Recurrence>,
    /// Local dates a recurring series skips.
    #[serde(default)]
    pub exceptions: Vec<chrono::NaiveDate>,
    /// The business's own fields (`GET /api/v1/fields?record_type=appointment`): key → value.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub custom: crate::fields::CustomValues,
    pub version: i64,
}

/// The length of an appointment given no end.
pub const DEFAULT_MINUTES: i64 = 30;
/// The lengths a scheduling form offers, in minutes.
pub const DURATION_CHOICES: [i64; 6] = [15, 30, 45, 60, 90, 120];
/// The longest an appointment may last.
pub const MAX_DAYS: i64 = 14;
/// The earliest a reminder may come (a week ahead).
pub const MAX_REMINDER_MINUTES: i32 = 7 * 24 * 60;

/// `PATCH /api/v1/appointments/{id}`: what changes. Absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AppointmentForUpdate {
    /// The version the change was made against; a newer one on the server answers 409.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<UserId>,
    /// `done`, `cancelled` or `no_show` (only from `scheduled`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub address: Option<Option<String>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i32>))]
    pub reminder_minutes: Option<Option<i32>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub notes: Option<Option<String>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Recurrence>))]
    pub recurrence: Option<Option<Recurrence>>,
    /// Skip the occurrence of a recurring series on this local date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_date: Option<chrono::NaiveDate>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allow_overlap: bool,
    /// The custom values to change, by key (`null` clears one); keys left out stay as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
}

impl AppointmentForUpdate {
    /// Applies the changes to `current`, checking every field and the status change.
    pub fn apply(&self, current: &Appointment) -> Result<Appointment, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut next = current.clone();
        if let Some(kind) = &self.kind {
            if let Some(kind) = e.check("kind", AppointmentKind::parse(kind.trim()).ok_or(FieldError::NotAllowed)) {
                next.kind = kind;
            }
        }
        if let Some(title) = &self.title {
            if let Some(title) = e.check("title", required_text(title, 200)) {
                next.title = title;
            }
        }
        if let Some(starts_at) = self.starts_at {
            // Moving the start keeps the length unless a new end comes too.
            next.ends_at = starts_at + (current.ends_at - current.starts_at);
            next.starts_at = starts_at;
        }
        if let Some(ends_at) = self.ends_at {
            next.ends_at = ends_at;
        }
        if next.ends_at < next.starts_at || next.ends_at - next.starts_at > chrono::Duration::days(MAX_DAYS) {
            e.add("ends_at", FieldError::NotAllowed);
        }
        if let Some(zone) = &self.time_zone {
            if let Some(zone) = e.check("time_zone", TimeZone::parse(zone)) {
                next.time_zone = zone;
            }
        }
        if let Some(assignee) = self.assignee_id {
            next.assignee_id = assignee;
        }
        if let Some(status) = &self.status {
            let parsed = AppointmentStatus::parse(status.trim())
                .filter(|s| *s == current.status || current.status.can_become(*s))
                .ok_or(FieldError::NotAllowed);
            if let Some(status) = e.check("status", parsed) {
                next.status = status;
            }
        }
        if let Some(address) = &self.address {
            next.address = address.as_deref().and_then(|a| e.check("address", optional_text(a, 500)).flatten());
        }
        if let Some(reminder) = self.reminder_minutes {
            if reminder.is_some_and(|m| !(0..=MAX_REMINDER_MINUTES).contains(&m)) {
                e.add("reminder_minutes", FieldError::NotAllowed);
            }
            next.reminder_minutes = reminder;
        }
        if let Some(notes) = &self.notes {
            next.notes = notes.as_deref().and_then(|n| e.check("notes", optional_text(n, 5000)).flatten());
        }
        if let Some(recurrence) = &self.recurrence {
            if let Some(r) = recurrence {
                e.check("recurrence", r.validate(next.starts_at.date_naive()));
            }
            next.recurrence.clone_from(recurrence);
        }
        if let Some(date) = self.skip_date {
            if next.recurrence.is_none() {
                e.add("skip_date", FieldError::NotAllowed);
            } else if !next.exceptions.contains(&date) {
                next.exceptions.push(date);
                next.exceptions.sort_unstable();
            }
        }
        if next.recurrence.is_none() {
            next.exceptions.clear();
        }
        e.into_result(|| next)
    }

    /// The change moves the appointment in time or to someone else (so overlaps are checked).
    pub fn reschedules(&self) -> bool {
        self.starts_at.is_some() || self.ends_at.is_some() || self.assignee_id.is_some()
    }
}

/// `POST /api/v1/appointments`: a new appointment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AppointmentForCreate {
    #[serde(default)]
    pub id: Option<AppointmentId>,
    /// `meeting`, `showing`, `call` or `task`.
    pub kind: String,
    pub title: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    /// Default: [`DEFAULT_MINUTES`] after the start.
    #[serde(default)]
    pub ends_at: Option<chrono::DateTime<chrono::Utc>>,
    /// IANA zone; default: the assignee's.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Default: the caller.
    #[serde(default)]
    pub assignee_id: Option<UserId>,
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    #[serde(default)]
    pub listing_id: Option<ListingId>,
    /// Where, when not the contact's (or listing's) address.
    #[serde(default)]
    pub address: Option<String>,
    /// Where, when not the contact's (or listing's) location.
    #[serde(default)]
    pub location: Option<GeoPoint>,
    /// Minutes before the start to remind the assignee (0 to 7 days).
    #[serde(default)]
    pub reminder_minutes: Option<i32>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub recurrence: Option<Recurrence>,
    /// Keep it even though it overlaps another of the assignee's appointments (otherwise 409).
    #[serde(default)]
    pub allow_overlap: bool,
    /// Values of the business's own appointment fields, by key (checked on the server against
    /// their definitions).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub custom: serde_json::Map<String, serde_json::Value>,
}

/// A validated [`AppointmentForCreate`].
#[derive(Debug, Clone, PartialEq)]
pub struct NewAppointment {
    pub id: AppointmentId,
    pub kind: AppointmentKind,
    pub title: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
    pub time_zone: Option<TimeZone>,
    pub assignee_id: Option<UserId>,
    pub contact_id: Option<ContactId>,
    pub listing_id: Option<ListingId>,
    pub address: Option<String>,
    pub location: Option<GeoPoint>,
    pub reminder_minutes: Option<i32>,
    pub notes: Option<String>,
    pub recurrence: Option<Recurrence>,
    pub allow_overlap: bool,
    /// As sent: only the server knows every definition to check them against.
    pub custom: serde_json::Map<String, serde_json::Value>,
}

impl AppointmentForCreate {
    pub fn validate(&self) -> Result<NewAppointment, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.check("kind", AppointmentKind::parse(self.kind.trim()).ok_or(FieldError::NotAllowed));
        let title = e.check("title", required_text(&self.title, 200));
        let ends_at = self.ends_at.unwrap_or(self.starts_at + chrono::Duration::minutes(DEFAULT_MINUTES));
        // Not before the start, and at most two weeks long.
        if ends_at < self.starts_at || ends_at - self.starts_at > chrono::Duration::days(14) {
            e.add("ends_at", FieldError::NotAllowed);
        }
        let time_zone = self.time_zone.as_deref().and_then(|z| e.check("time_zone", TimeZone::parse(z)));
        let address = self.address.as_deref().and_then(|a| e.check("address", optional_text(a, 500)).flatten());
        let notes = self.notes.as_deref().and_then(|n| e.check("notes", optional_text(n, 5000)).flatten());
        if self.reminder_minutes.is_some_and(|m| !(0..=MAX_REMINDER_MINUTES).contains(&m)) {
            e.add("reminder_minutes", FieldError::NotAllowed);
        }
        if let Some(r) = &self.recurrence {
            e.check("recurrence", r.validate(self.starts_at.date_naive()));
        }
        e.into_result(|| NewAppointment {
            id: self.id.unwrap_or_default(),
            kind: kind.unwrap_or(AppointmentKind::Meeting),
            title: title.unwrap_or_default(),
            starts_at: self.starts_at,
            ends_at,
            time_zone,
            assignee_id: self.assignee_id,
            contact_id: self.contact_id,
            listing_id: self.listing_id,
            address,
            location: self.location,
            reminder_minutes: self.reminder_minutes,
            notes,
            recurrence: self.recurrence.clone(),
            allow_overlap: self.allow_overlap,
            custom: self.custom.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::AppointmentStatus::{self, *};
    use super::*;

    #[test]
    fn a_new_appointment_lasts_half_an_hour_unless_told_and_names_bad_fields() {
        let start = chrono::DateTime::parse_from_rfc3339("2026-12-01T04:00:00Z").unwrap().to_utc();
        let ok = AppointmentForCreate {
            kind: "meeting".into(),
            title: "Site visit".into(),
            starts_at: start,
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.ends_at - ok.starts_at, chrono::Duration::minutes(DEFAULT_MINUTES));
        let bad = AppointmentForCreate {
            kind: "party".into(),
            title: " ".into(),
            starts_at: start,
            ends_at: Some(start - chrono::Duration::minutes(1)),
            time_zone: Some("not a zone".into()),
            reminder_minutes: Some(-5),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = bad.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["ends_at", "kind", "reminder_minutes", "time_zone", "title"]);
    }

    #[test]
    fn only_scheduled_appointments_change_status() {
        for from in AppointmentStatus::ALL {
            for to in AppointmentStatus::ALL {
                let expected = from == Scheduled && to != Scheduled;
                assert_eq!(from.can_become(to), expected, "{from:?} -> {to:?}");
            }
            assert_eq!(AppointmentStatus::parse(from.as_str()), Some(from));
        }
    }
}
