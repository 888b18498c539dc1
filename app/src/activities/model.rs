//! The communication log: calls, emails, messages and notes on a contact.

use crate::common::validation::optional_text;
use crate::common::{ActivityId, ContactId, FieldError, FieldErrors, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ActivityKind {
    Call,
    Email,
    Sms,
    Chat,
    Social,
    Note,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Direction {
    Inbound,
    Outbound,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: ActivityId,
    pub contact_id: ContactId,
    pub author_id: Option<UserId>,
    pub kind: ActivityKind,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub direction: Option<Direction>,
    pub duration_s: Option<i64>,
    pub result: Option<CallResult>,
    pub subject: Option<String>,
    pub body: String,
    pub version: i64,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 6] = [Self::Call, Self::Email, Self::Sms, Self::Chat, Self::Social, Self::Note];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Call => "call",
            Self::Email => "email",
            Self::Sms => "sms",
            Self::Chat => "chat",
            Self::Social => "social",
            Self::Note => "note",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw.trim()).ok_or(FieldError::NotAllowed)
    }
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inbound => "inbound",
            Self::Outbound => "outbound",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "inbound" => Ok(Self::Inbound),
            "outbound" => Ok(Self::Outbound),
            _ => Err(FieldError::NotAllowed),
        }
    }
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum CallResult {
    Connected,
    NoAnswer,
    Busy,
    Voicemail,
    WrongNumber,
}

impl CallResult {
    pub const ALL: [CallResult; 5] = [Self::Connected, Self::NoAnswer, Self::Busy, Self::Voicemail, Self::WrongNumber];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connected => "connected",
            Self::NoAnswer => "no_answer",
            Self::Busy => "busy",
            Self::Voicemail => "voicemail",
            Self::WrongNumber => "wrong_number",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw.trim()).ok_or(FieldError::NotAllowed)
    }
}

/// `POST /api/v1/contacts/{id}/activities`. A call has a direction (outbound unless told),
/// and may have a duration and result; a note needs a body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActivityForCreate {
    #[serde(default)]
    pub id: Option<ActivityId>,
    pub kind: String,
    /// When it happened; now when absent.
    #[serde(default)]
    pub occurred_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    pub direction: Option<String>,
    #[serde(default)]
    pub duration_s: Option<i64>,
    #[serde(default)]
    pub result: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub body: String,
}

/// An [`ActivityForCreate`] whose fields parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewActivity {
    pub id: ActivityId,
    pub kind: ActivityKind,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub direction: Option<Direction>,
    pub duration_s: Option<i64>,
    pub result: Option<CallResult>,
    pub subject: Option<String>,
    pub body: String,
}

impl NewActivity {
    /// An email the app sent to the contact (from a template or a campaign), now.
    pub fn sent_email(subject: String, body: String) -> NewActivity {
        NewActivity {
            id: ActivityId::default(),
            kind: ActivityKind::Email,
            occurred_at: chrono::Utc::now(),
            direction: Some(Direction::Outbound),
            duration_s: None,
            result: None,
            subject: Some(subject),
            body,
        }
    }

    /// The activity as this device shows it before the server has it.
    pub fn to_local(&self, contact_id: ContactId, author_id: Option<UserId>) -> Activity {
        Activity {
            id: self.id,
            contact_id,
            author_id,
            kind: self.kind,
            occurred_at: self.occurred_at,
            direction: self.direction,
            duration_s: self.duration_s,
            result: self.result,
            subject: self.subject.clone(),
            body: self.body.clone(),
            version: 0,
        }
    }
}

/// A call longer than a day is a typo.
const MAX_DURATION_S: i64 = 24 * 3600;

impl ActivityForCreate {
    pub fn validate(&self, now: chrono::DateTime<chrono::Utc>) -> Result<NewActivity, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.check("kind", ActivityKind::parse(&self.kind));
        let is_call = kind == Some(ActivityKind::Call);
        let direction = match self.direction.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(d) => e.check("direction", Direction::parse(d)),
            None => is_call.then_some(Direction::Outbound),
        };
        let duration_s = self.duration_s.and_then(|d| {
            e.check("duration_s", if (0..=MAX_DURATION_S).contains(&d) { Ok(d) } else { Err(FieldError::NotAllowed) })
        });
        let result =
            self.result.as_deref().filter(|r| !r.trim().is_empty()).and_then(|r| {
                e.check("result", if is_call { CallResult::parse(r) } else { Err(FieldError::NotAllowed) })
            });
        let subject = self.subject.as_deref().and_then(|s| e.check("subject", optional_text(s, 200)).flatten());
        let body = self.body.trim().to_string();
        if body.chars().count() > 10_000 {
            e.add("body", FieldError::TooLong { max: 10_000 });
        } else if body.is_empty() && kind == Some(ActivityKind::Note) {
            e.add("body", FieldError::Required);
        }
        let occurred_at = self.occurred_at.unwrap_or(now);
        if occurred_at > now + chrono::Duration::minutes(5) {
            e.add("occurred_at", FieldError::NotAllowed);
        }
        e.into_result(|| NewActivity {
            id: self.id.unwrap_or_default(),
            kind: kind.unwrap(),
            occurred_at,
            direction,
            duration_s,
            result,
            subject,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_defaults_to_outbound_and_checks_its_result() {
        let now = chrono::Utc::now();
        let call = ActivityForCreate {
            kind: "call".into(),
            duration_s: Some(95),
            result: Some("no_answer".into()),
            ..Default::default()
        };
        let a = call.validate(now).unwrap();
        assert_eq!(
            (a.direction, a.result, a.occurred_at),
            (Some(Direction::Outbound), Some(CallResult::NoAnswer), now)
        );
        let bad = ActivityForCreate {
            kind: "call".into(),
            duration_s: Some(-1),
            result: Some("great".into()),
            ..Default::default()
        };
        let e = bad.validate(now).unwrap_err();
        assert!(e.get("duration_s").is_some() && e.get("result").is_some());
    }

    #[test]
    fn a_note_needs_a_body_and_nothing_happens_in_the_future() {
        let now = chrono::Utc::now();
        let note = ActivityForCreate {
            kind: "note".into(),
            body: "  ".into(),
            occurred_at: Some(now + chrono::Duration::days(1)),
            ..Default::default()
        };
        let e = note.validate(now).unwrap_err();
        assert_eq!(e.get("body"), Some(&FieldError::Required));
        assert_eq!(e.get("occurred_at"), Some(&FieldError::NotAllowed));
        assert!(ActivityForCreate { kind: "fax".into(), ..Default::default() }.validate(now).is_err());
    }
}
