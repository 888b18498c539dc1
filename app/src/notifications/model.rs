use crate::common::NotificationId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: NotificationId,
    /// What happened: `listing_matches`, …
    pub kind: String,
    pub title: String,
    pub body: String,
    /// Where in the app to go (`/listings/…`).
    pub link: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub read: bool,
}

/// `GET /api/v1/me/notifications`: the latest notifications and how many are unread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Inbox {
    pub items: Vec<Notification>,
    pub unread: i64,
}

/// The notifications a user may also get by email; each can be turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// An appointment's reminder time has come.
    Reminder,
    /// The day's agenda, at 07:00 in the user's time zone.
    Agenda,
    /// Someone else scheduled an appointment for the user.
    Appointment,
    /// The user was assigned a territory.
    Territory,
    /// A new listing matches one of the user's buyers.
    ListingMatches,
    /// A lead came in through a web form and the user owns it.
    NewLead,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 6] = [
        NotificationKind::Reminder,
        NotificationKind::Agenda,
        NotificationKind::Appointment,
        NotificationKind::Territory,
        NotificationKind::ListingMatches,
        NotificationKind::NewLead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Reminder => "reminder",
            NotificationKind::Agenda => "agenda",
            NotificationKind::Appointment => "appointment",
            NotificationKind::Territory => "territory",
            NotificationKind::ListingMatches => "listing_matches",
            NotificationKind::NewLead => "new_lead",
        }
    }

    pub fn parse(raw: &str) -> Option<NotificationKind> {
        NotificationKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// Whether the user gets one kind of notification by email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EmailSetting {
    pub kind: NotificationKind,
    pub email: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), serde_json::json!(kind.as_str()));
        }
        assert_eq!(NotificationKind::parse("spam"), None);
    }
}
