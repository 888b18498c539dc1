//! Appointments: meetings, showings, calls and tasks on a rep's calendar.

use crate::common::validation::{optional_text, required_text};
use crate::common::{AppointmentId, ContactId, FieldError, FieldErrors, GeoPoint, ListingId, TimeZone, UserId};
use serde::{Deserialize, Serialize};

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
    pub time_zone: String,
    pub status: AppointmentStatus,
    pub assignee_id: UserId,
    pub assignee_name: String,
    pub contact_id: Option<ContactId>,
    pub contact_name: Option<String>,
    pub listing_id: Option<ListingId>,
    pub listing_title: Option<String>,
    pub address: Option<String>,
    pub location: Option<GeoPoint>,
}

/// `GET /api/v1/today`: the signed-in user's local day and the appointments in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Today {
    pub date: chrono::NaiveDate,
    pub time_zone: String,
    pub items: Vec<AgendaItem>,
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
    pub time_zone: String,
    pub assignee_id: UserId,
    pub contact_id: Option<ContactId>,
    pub listing_id: Option<ListingId>,
    pub address: Option<String>,
    pub location: Option<GeoPoint>,
    pub status: AppointmentStatus,
    pub reminder_minutes: Option<i32>,
    pub notes: Option<String>,
    pub version: i64,
}

/// The length of an appointment given no end.
pub const DEFAULT_MINUTES: i64 = 30;

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
    /// Where, when not the contact's address.
    #[serde(default)]
    pub address: Option<String>,
    /// Minutes before the start to remind the assignee (0 to 7 days).
    #[serde(default)]
    pub reminder_minutes: Option<i32>,
    #[serde(default)]
    pub notes: Option<String>,
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
    pub address: Option<String>,
    pub reminder_minutes: Option<i32>,
    pub notes: Option<String>,
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
        if self.reminder_minutes.is_some_and(|m| !(0..=7 * 24 * 60).contains(&m)) {
            e.add("reminder_minutes", FieldError::NotAllowed);
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
            address,
            reminder_minutes: self.reminder_minutes,
            notes,
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
