//! Deals in the sales pipeline.

use crate::common::{ContactId, DealId, FieldError, ListingId, Money, UserId};
use serde::{Deserialize, Serialize};

/// `inquiry → proposal → negotiation → won | lost` (lost needs a reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum DealStage {
    Inquiry,
    Proposal,
    Negotiation,
    Won,
    Lost,
}

impl DealStage {
    pub const ALL: [DealStage; 5] = [Self::Inquiry, Self::Proposal, Self::Negotiation, Self::Won, Self::Lost];
    pub const OPEN: [DealStage; 3] = [Self::Inquiry, Self::Proposal, Self::Negotiation];

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// An open deal may move to any other open stage (cards are dragged back and forth on the
    /// board) or be closed as won or lost; a closed deal is final.
    pub fn can_become(self, to: DealStage) -> bool {
        self.is_open() && self != to
    }

    /// Moves to `to`, requiring a non-empty reason when the deal is lost.
    pub fn transition(self, to: DealStage, lost_reason: Option<&str>) -> Result<DealStage, FieldError> {
        if !self.can_become(to) {
            return Err(FieldError::NotAllowed);
        }
        if to == DealStage::Lost && lost_reason.is_none_or(|r| r.trim().is_empty()) {
            return Err(FieldError::Required);
        }
        Ok(to)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inquiry => "inquiry",
            Self::Proposal => "proposal",
            Self::Negotiation => "negotiation",
            Self::Won => "won",
            Self::Lost => "lost",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// A deal in the pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Deal {
    pub id: DealId,
    pub contact_id: ContactId,
    pub listing_id: Option<ListingId>,
    pub title: String,
    pub stage: DealStage,
    pub lost_reason: Option<String>,
    pub value: Money,
    pub expected_close: Option<chrono::NaiveDate>,
    pub owner_id: Option<UserId>,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(test)]
mod tests {
    use super::DealStage::{self, *};
    use crate::common::FieldError;

    #[test]
    fn open_deals_move_anywhere_else_and_closed_deals_stay_closed() {
        for from in DealStage::ALL {
            for to in DealStage::ALL {
                let expected = matches!(from, Inquiry | Proposal | Negotiation) && from != to;
                assert_eq!(from.can_become(to), expected, "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn losing_a_deal_needs_a_reason() {
        assert_eq!(Negotiation.transition(Lost, None), Err(FieldError::Required));
        assert_eq!(Negotiation.transition(Lost, Some("  ")), Err(FieldError::Required));
        assert_eq!(Negotiation.transition(Lost, Some("price")), Ok(Lost));
        assert_eq!(Won.transition(Lost, Some("price")), Err(FieldError::NotAllowed));
        assert_eq!(Inquiry.transition(Won, None), Ok(Won));
    }
}
