//! Appointments: meetings, showings, calls and tasks on a rep's calendar.

use crate::common::{AppointmentId, ContactId, GeoPoint, ListingId, UserId};
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

#[cfg(test)]
mod tests {
    use super::AppointmentStatus::{self, *};

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
