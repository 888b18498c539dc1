//! Field visits: check-in and check-out with position, at a contact or a listing.

use crate::common::validation::{optional_text, required_text};
use crate::common::{AppointmentId, ContactId, FieldError, FieldErrors, GeoPoint, ListingId, TaskId, UserId, VisitId};
use serde::{Deserialize, Serialize};

/// Check-ins farther than this from the target are flagged for the manager.
pub const FAR_CHECK_IN_M: f64 = 300.0;

/// Outcomes offered at check-out when `FIELDWORK_VISIT_OUTCOMES` does not set others.
pub const DEFAULT_OUTCOMES: [&str; 6] =
    ["Interested", "Order taken", "Not interested", "Not at home", "Call back later", "Showing done"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Visit {
    pub id: VisitId,
    pub rep_id: UserId,
    pub contact_id: Option<ContactId>,
    pub listing_id: Option<ListingId>,
    pub appointment_id: Option<AppointmentId>,
    pub check_in_at: chrono::DateTime<chrono::Utc>,
    pub check_in_position: Option<GeoPoint>,
    pub check_in_accuracy_m: Option<f64>,
    /// From the check-in position to the contact's, listing's or appointment's location.
    pub distance_m: Option<f64>,
    /// The check-in was farther than [`FAR_CHECK_IN_M`] from the target.
    #[serde(default)]
    pub far: bool,
    pub check_out_at: Option<chrono::DateTime<chrono::Utc>>,
    pub outcome: Option<String>,
    pub notes: Option<String>,
    pub next_step: Option<String>,
    pub buyer_reaction: Option<BuyerReaction>,
    pub version: i64,
    /// The check-out form's answers (the business's visit fields): key → value.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub custom: crate::fields::CustomValues,
}

impl Visit {
    pub fn is_open(&self) -> bool {
        self.check_out_at.is_none()
    }
}

/// Whether a check-in `distance_m` from the target is far. A fix whose accuracy circle still
/// reaches within the limit is not flagged (GPS indoors is often 50–100 m off).
pub fn is_far(distance_m: f64, accuracy_m: Option<f64>) -> bool {
    distance_m - accuracy_m.unwrap_or(0.0).clamp(0.0, 200.0) > FAR_CHECK_IN_M
}

/// `POST /api/v1/visits`: check in. The target is the appointment's place, else the contact's
/// or listing's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VisitForCheckIn {
    #[serde(default)]
    pub id: Option<VisitId>,
    #[serde(default)]
    pub appointment_id: Option<AppointmentId>,
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    #[serde(default)]
    pub listing_id: Option<ListingId>,
    /// Where the phone was (browser Geolocation); absent when the rep refused or had no fix.
    #[serde(default)]
    pub position: Option<GeoPoint>,
    /// The fix's accuracy radius in metres.
    #[serde(default)]
    pub accuracy_m: Option<f64>,
    /// When it happened, for check-ins made offline (default: now; not in the future).
    #[serde(default)]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

impl VisitForCheckIn {
    pub fn validate(&self, now: chrono::DateTime<chrono::Utc>) -> Result<VisitForCheckIn, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.appointment_id.is_none() && self.contact_id.is_none() && self.listing_id.is_none() {
            e.add("contact_id", FieldError::Required);
        }
        if self.accuracy_m.is_some_and(|a| !a.is_finite() || a < 0.0) {
            e.add("accuracy_m", FieldError::Negative);
        }
        if self.at.is_some_and(|at| at > now + chrono::Duration::minutes(5) || at < now - chrono::Duration::days(30)) {
            e.add("at", FieldError::NotAllowed);
        }
        e.into_result(|| self.clone())
    }
}

/// How a buyer took a property at a showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum BuyerReaction {
    Loved,
    Liked,
    Neutral,
    Disliked,
}

impl BuyerReaction {
    pub const ALL: [BuyerReaction; 4] = [Self::Loved, Self::Liked, Self::Neutral, Self::Disliked];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Loved => "loved",
            Self::Liked => "liked",
            Self::Neutral => "neutral",
            Self::Disliked => "disliked",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// What comes after a visit: a follow-up, or the next appointment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum NextStep {
    FollowUp {
        title: String,
        due_at: chrono::DateTime<chrono::Utc>,
    },
    Appointment {
        title: String,
        starts_at: chrono::DateTime<chrono::Utc>,
        ends_at: Option<chrono::DateTime<chrono::Utc>>,
    },
}

impl NextStep {
    pub fn title(&self) -> &str {
        match self {
            NextStep::FollowUp { title, .. } | NextStep::Appointment { title, .. } => title,
        }
    }
}

/// `POST /api/v1/visits/{id}/checkout`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VisitForCheckOut {
    /// One of the configured outcomes (`GET /api/v1/visits/outcomes`).
    pub outcome: String,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub position: Option<GeoPoint>,
    /// At a showing: how the buyer took the property.
    #[serde(default)]
    pub buyer_reaction: Option<String>,
    #[serde(default)]
    pub next_step: Option<NextStep>,
    /// For check-outs made offline (default: now).
    #[serde(default)]
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    /// Answers to the check-out form's questions (`GET /api/v1/fields?record_type=visit`), by
    /// key; a required question that applies must be answered.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub custom: serde_json::Map<String, serde_json::Value>,
}

/// A validated [`VisitForCheckOut`].
#[derive(Debug, Clone, PartialEq)]
pub struct CheckOut {
    pub outcome: String,
    pub notes: Option<String>,
    pub position: Option<GeoPoint>,
    pub buyer_reaction: Option<BuyerReaction>,
    pub next_step: Option<NextStep>,
    pub at: chrono::DateTime<chrono::Utc>,
}

impl VisitForCheckOut {
    pub fn validate(
        &self,
        outcomes: &[String],
        checked_in: chrono::DateTime<chrono::Utc>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<CheckOut, FieldErrors> {
        let mut e = FieldErrors::new();
        let outcome = e.check("outcome", required_text(&self.outcome, 100)).and_then(|o| {
            let known = outcomes.iter().find(|k| k.eq_ignore_ascii_case(&o)).cloned();
            e.check("outcome", known.ok_or(FieldError::NotAllowed))
        });
        let notes = self.notes.as_deref().and_then(|n| e.check("notes", optional_text(n, 5000)).flatten());
        let reaction = self.buyer_reaction.as_deref().filter(|r| !r.trim().is_empty());
        let reaction = reaction
            .and_then(|r| e.check("buyer_reaction", BuyerReaction::parse(r.trim()).ok_or(FieldError::NotAllowed)));
        let at = self.at.unwrap_or(now);
        if at < checked_in || at > now + chrono::Duration::minutes(5) {
            e.add("at", FieldError::NotAllowed);
        }
        match &self.next_step {
            Some(step) if step.title().trim().is_empty() => e.add("next_step.title", FieldError::Required),
            Some(step) if step.title().chars().count() > 200 => {
                e.add("next_step.title", FieldError::TooLong { max: 200 });
            }
            Some(NextStep::Appointment { starts_at, ends_at: Some(ends_at), .. }) if ends_at < starts_at => {
                e.add("next_step.ends_at", FieldError::NotAllowed);
            }
            _ => {}
        }
        e.into_result(|| CheckOut {
            outcome: outcome.unwrap_or_default(),
            notes,
            position: self.position,
            buyer_reaction: reaction,
            next_step: self.next_step.clone(),
            at,
        })
    }
}

/// `POST /api/v1/visits/{id}/checkout` answers the visit and what its next step created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CheckedOut {
    pub visit: Visit,
    pub follow_up_id: Option<TaskId>,
    pub appointment_id: Option<AppointmentId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcomes() -> Vec<String> {
        DEFAULT_OUTCOMES.iter().map(std::string::ToString::to_string).collect()
    }

    #[test]
    fn a_fix_whose_accuracy_reaches_the_target_is_not_far() {
        assert!(!is_far(250.0, None));
        assert!(is_far(350.0, None));
        assert!(!is_far(350.0, Some(80.0)));
        // A wildly inaccurate fix does not excuse a check-in kilometres away.
        assert!(is_far(2_000.0, Some(5_000.0)));
    }

    #[test]
    fn a_check_out_needs_a_known_outcome_and_names_each_bad_field() {
        let now = chrono::Utc::now();
        let ok = VisitForCheckOut { outcome: "interested".into(), ..Default::default() }
            .validate(&outcomes(), now - chrono::Duration::minutes(20), now)
            .unwrap();
        assert_eq!(ok.outcome, "Interested");
        let bad = VisitForCheckOut {
            outcome: "Party".into(),
            buyer_reaction: Some("ecstatic".into()),
            next_step: Some(NextStep::FollowUp { title: " ".into(), due_at: now }),
            at: Some(now - chrono::Duration::hours(2)),
            ..Default::default()
        }
        .validate(&outcomes(), now - chrono::Duration::minutes(20), now)
        .unwrap_err();
        let fields: Vec<&str> = bad.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["at", "buyer_reaction", "next_step.title", "outcome"]);
    }

    #[test]
    fn a_check_in_needs_something_to_visit() {
        let now = chrono::Utc::now();
        let bad = VisitForCheckIn { accuracy_m: Some(-1.0), ..Default::default() }.validate(now).unwrap_err();
        let fields: Vec<&str> = bad.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["accuracy_m", "contact_id"]);
    }
}
