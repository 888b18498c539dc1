//! Deals in the sales pipeline.

use crate::common::validation::{optional_text, required_text};
use crate::common::{ContactId, DealId, FieldError, FieldErrors, ListingId, Money, UserId};
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

    pub fn parse_field(raw: &str) -> Result<Self, FieldError> {
        Self::parse(raw.trim()).ok_or(FieldError::NotAllowed)
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
    /// The contact's name, for cards and lists.
    pub contact_name: String,
    pub stage_changed_at: chrono::DateTime<chrono::Utc>,
    /// The business's own fields (`GET /api/v1/fields?record_type=deal`): key → value.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub custom: crate::fields::CustomValues,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Money on the wire, checked into [`Money`] by the parse (so a bad currency is a field error).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MoneyInput {
    pub amount: i64,
    pub currency: String,
}

impl MoneyInput {
    pub fn parse(&self) -> Result<Money, FieldError> {
        Money::new(self.amount, &self.currency)
    }
}

/// `POST /api/v1/deals`. A new deal is an `inquiry` owned by its creator unless told otherwise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DealForCreate {
    #[serde(default)]
    pub id: Option<DealId>,
    pub contact_id: ContactId,
    #[serde(default)]
    pub listing_id: Option<ListingId>,
    pub title: String,
    #[serde(default)]
    pub stage: Option<String>,
    #[serde(default)]
    pub lost_reason: Option<String>,
    pub value: MoneyInput,
    #[serde(default)]
    pub expected_close: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub owner_id: Option<UserId>,
    /// Values of the business's own deal fields, by key (checked on the server against their
    /// definitions).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub custom: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewDeal {
    pub id: DealId,
    pub contact_id: ContactId,
    pub listing_id: Option<ListingId>,
    pub title: String,
    pub stage: DealStage,
    pub lost_reason: Option<String>,
    pub value: Money,
    pub expected_close: Option<chrono::NaiveDate>,
    pub owner_id: Option<UserId>,
}

impl DealForCreate {
    pub fn validate(&self) -> Result<NewDeal, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.check("title", required_text(&self.title, 200));
        let stage = e.check("stage", self.stage.as_deref().map_or(Ok(DealStage::Inquiry), DealStage::parse_field));
        let lost_reason =
            self.lost_reason.as_deref().and_then(|r| e.check("lost_reason", optional_text(r, 500)).flatten());
        if stage == Some(DealStage::Lost) && lost_reason.is_none() {
            e.add("lost_reason", FieldError::Required);
        }
        let value = e.check("value", self.value.parse());
        e.into_result(|| NewDeal {
            id: self.id.unwrap_or_default(),
            contact_id: self.contact_id,
            listing_id: self.listing_id,
            title: title.unwrap(),
            stage: stage.unwrap(),
            lost_reason,
            value: value.unwrap(),
            expected_close: self.expected_close,
            owner_id: self.owner_id,
        })
    }
}

/// `PATCH /api/v1/deals/{id}`: absent fields stay. Moving to `lost` needs `lost_reason`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DealForUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<MoneyInput>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub expected_close: Option<Option<chrono::NaiveDate>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub listing_id: Option<Option<ListingId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<UserId>,
    /// The custom values to change, by key (`null` clears one); keys left out stay as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DealChanges {
    pub base_version: Option<i64>,
    pub title: Option<String>,
    pub stage: Option<DealStage>,
    pub lost_reason: Option<String>,
    pub value: Option<Money>,
    pub expected_close: Option<Option<chrono::NaiveDate>>,
    pub listing_id: Option<Option<ListingId>>,
    pub owner_id: Option<UserId>,
}

impl DealForUpdate {
    pub fn validate(&self) -> Result<DealChanges, FieldErrors> {
        let mut e = FieldErrors::new();
        let changes = DealChanges {
            base_version: self.base_version,
            title: self.title.as_deref().and_then(|t| e.check("title", required_text(t, 200))),
            stage: self.stage.as_deref().and_then(|s| e.check("stage", DealStage::parse_field(s))),
            lost_reason: self
                .lost_reason
                .as_deref()
                .and_then(|r| e.check("lost_reason", optional_text(r, 500)).flatten()),
            value: self.value.as_ref().and_then(|v| e.check("value", v.parse())),
            expected_close: self.expected_close,
            listing_id: self.listing_id,
            owner_id: self.owner_id,
        };
        e.into_result(|| changes)
    }
}

/// The count and value of the deals in one stage (the board's column header).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageTotal {
    pub stage: DealStage,
    pub currency: String,
    pub count: i64,
    pub amount: i64,
}

/// `GET /api/v1/deals`: the deals in scope (newest stage change first) and the stage totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DealBoard {
    pub items: Vec<Deal>,
    pub totals: Vec<StageTotal>,
    pub next_cursor: Option<String>,
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
    fn a_new_lost_deal_needs_a_reason_and_a_good_currency() {
        let json = r#"{"contact_id": "0190e8a0-0000-7000-8000-000000000001", "title": "3-bed in Gulshan",
            "stage": "lost", "value": {"amount": 100, "currency": "taka"}}"#;
        let e = serde_json::from_str::<super::DealForCreate>(json).unwrap().validate().unwrap_err();
        assert_eq!(e.get("lost_reason"), Some(&FieldError::Required));
        assert_eq!(e.get("value"), Some(&FieldError::InvalidCurrency));
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
