//! Customer feedback: CSAT (1–5) and NPS (0–10).

use crate::common::FieldError;

pub fn parse_csat(score: i32) -> Result<i32, FieldError> {
    if (1..=5).contains(&score) {
        Ok(score)
    } else {
        Err(FieldError::NotAllowed)
    }
}

pub fn parse_nps(score: i32) -> Result<i32, FieldError> {
    if (0..=10).contains(&score) {
        Ok(score)
    } else {
        Err(FieldError::NotAllowed)
    }
}

/// A customer's answer: CSAT (1–5) and/or NPS (0–10), on a visit or a contact.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Feedback {
    pub id: crate::common::FeedbackId,
    pub contact_id: crate::common::ContactId,
    pub visit_id: Option<crate::common::VisitId>,
    pub csat: Option<i32>,
    pub nps: Option<i32>,
    pub comment: Option<String>,
    pub answered_at: Option<chrono::DateTime<chrono::Utc>>,
    pub version: i64,
}

/// What the survey page a feedback link opens shows (`GET /api/v1/public/feedback/{token}`):
/// no sign-in, nothing private beyond the contact's own first name and who visited.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Survey {
    /// The contact's first name, for the greeting.
    pub first_name: String,
    /// Who visited.
    pub rep_name: String,
    /// When the visit was (the day, in the contact's or the rep's zone).
    pub visited_on: chrono::NaiveDate,
    /// The contact's language (`en`, `bn`): the page is shown in it.
    pub language: crate::users::Language,
}

/// A customer's answer to a survey: a CSAT score, an NPS score, or both, and a comment.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FeedbackAnswer {
    #[serde(default)]
    pub csat: Option<i32>,
    #[serde(default)]
    pub nps: Option<i32>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// The longest comment kept.
pub const COMMENT_MAX: usize = 2000;

impl FeedbackAnswer {
    /// At least one score, each on its scale; the comment trimmed and bounded.
    pub fn validate(&self) -> Result<FeedbackAnswer, crate::common::FieldErrors> {
        let mut e = crate::common::FieldErrors::new();
        let csat = self.csat.and_then(|s| e.check("csat", parse_csat(s)));
        let nps = self.nps.and_then(|s| e.check("nps", parse_nps(s)));
        if self.csat.is_none() && self.nps.is_none() {
            e.add("csat", FieldError::Required);
        }
        let comment = e.check(
            "comment",
            crate::common::validation::optional_text(self.comment.as_deref().unwrap_or(""), COMMENT_MAX),
        );
        e.into_result(|| FeedbackAnswer { csat, nps, comment: comment.flatten() })
    }
}

/// An entry of the audit log: who changed what, when, from which device.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor_id: Option<crate::common::UserId>,
    pub device: Option<String>,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub changes: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_outside_their_scales_are_rejected() {
        assert!(parse_csat(0).is_err() && parse_csat(6).is_err() && parse_csat(5).is_ok());
        assert!(parse_nps(-1).is_err() && parse_nps(11).is_err() && parse_nps(0).is_ok());
    }

    #[test]
    fn an_answer_needs_a_score_on_its_scale() {
        let none = FeedbackAnswer { comment: Some("hi".into()), ..Default::default() };
        assert_eq!(none.validate().unwrap_err().get("csat"), Some(&FieldError::Required));
        let bad = FeedbackAnswer { nps: Some(11), ..Default::default() };
        assert_eq!(bad.validate().unwrap_err().get("nps"), Some(&FieldError::NotAllowed));
        let good = FeedbackAnswer { csat: Some(5), nps: Some(9), comment: Some("  Great  ".into()) };
        let ok = good.validate().unwrap();
        assert_eq!((ok.csat, ok.nps, ok.comment.as_deref()), (Some(5), Some(9), Some("Great")));
        let blank = FeedbackAnswer { csat: Some(3), comment: Some("   ".into()), ..Default::default() };
        assert_eq!(blank.validate().unwrap().comment, None);
    }
}
