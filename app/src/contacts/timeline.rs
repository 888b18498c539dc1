//! The contact page's timeline: everything that happened with a contact, newest first, from
//! every domain (calls and notes, visits, appointments, deals, feedback, follow-ups, edits).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum TimelineKind {
    Call,
    Email,
    Sms,
    Chat,
    Social,
    Note,
    Visit,
    Appointment,
    Deal,
    Feedback,
    Task,
    /// A field change from the audit log (created, edited, archived, merged…).
    Change,
}

impl TimelineKind {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "call" => Self::Call,
            "email" => Self::Email,
            "sms" => Self::Sms,
            "chat" => Self::Chat,
            "social" => Self::Social,
            "note" => Self::Note,
            "visit" => Self::Visit,
            "appointment" => Self::Appointment,
            "deal" => Self::Deal,
            "feedback" => Self::Feedback,
            "task" => Self::Task,
            "change" => Self::Change,
            _ => return None,
        })
    }
}

/// One line of the timeline. `title` and `detail` are already readable (a call's direction
/// and result, a deal's stage, the fields an edit changed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub kind: TimelineKind,
    /// The id of the record behind the entry.
    pub id: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub title: String,
    pub detail: Option<String>,
    /// Who did it, by name, when known.
    pub by: Option<String>,
}
