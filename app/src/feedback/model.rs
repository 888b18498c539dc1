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
}
