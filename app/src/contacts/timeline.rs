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

/// The timeline as this device can tell it without the server: its calls, messages and notes
/// and its visits with the contact, newest first (the server's timeline also has deals,
/// appointments, feedback and edits). Texts are formed as the server forms them.
pub fn local_entries(
    contact: crate::common::ContactId,
    activities: &[crate::activities::Activity],
    visits: &[crate::visits::Visit],
) -> Vec<TimelineEntry> {
    let text = |t: &Option<String>| t.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
    let mut entries: Vec<TimelineEntry> = activities
        .iter()
        .filter(|a| a.contact_id == contact)
        .filter_map(|a| {
            let kind = TimelineKind::parse(a.kind.as_str())?;
            let title = match kind {
                TimelineKind::Call => {
                    let how = [
                        a.direction.map(super::super::activities::model::Direction::as_str),
                        a.result.map(super::super::activities::model::CallResult::as_str),
                    ]
                    .into_iter()
                    .flatten();
                    let minutes = a.duration_s.map(|s| format!("{}:{:02}", s / 60, s % 60));
                    let summary = how.map(str::to_string).chain(minutes).collect::<Vec<_>>().join(" · ");
                    text(&a.subject).unwrap_or_else(|| summary.replace('_', " "))
                }
                _ => text(&a.subject).unwrap_or_default(),
            };
            Some(TimelineEntry {
                kind,
                id: a.id.to_string(),
                at: a.occurred_at,
                title,
                detail: text(&Some(a.body.clone())),
                by: None,
            })
        })
        .collect();
    entries.extend(visits.iter().filter(|v| v.contact_id == Some(contact)).map(|v| TimelineEntry {
        kind: TimelineKind::Visit,
        id: v.id.to_string(),
        at: v.check_in_at,
        title: text(&v.outcome).unwrap_or_else(|| "visit".into()),
        detail: text(&v.notes).or(text(&v.next_step)),
        by: None,
    }));
    entries.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| b.id.cmp(&a.id)));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activities::{Activity, ActivityKind, CallResult, Direction};
    use crate::common::{ActivityId, ContactId};

    #[test]
    fn a_devices_timeline_has_its_calls_and_visits_newest_first() {
        let (contact, other) = (ContactId::new(), ContactId::new());
        let at = |h: u32| chrono::DateTime::parse_from_rfc3339(&format!("2026-11-24T{h:02}:00:00Z")).unwrap().to_utc();
        let call = |c: ContactId, h: u32| Activity {
            id: ActivityId::new(),
            contact_id: c,
            author_id: None,
            kind: ActivityKind::Call,
            occurred_at: at(h),
            direction: Some(Direction::Outbound),
            duration_s: Some(185),
            result: Some(CallResult::NoAnswer),
            subject: None,
            body: "  ".into(),
            version: 0,
        };
        let entries = local_entries(contact, &[call(contact, 9), call(other, 11), call(contact, 10)], &[]);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].at, at(10));
        assert_eq!(entries[0].title, "outbound · no answer · 3:05");
        assert_eq!(entries[0].detail, None);
    }
}
