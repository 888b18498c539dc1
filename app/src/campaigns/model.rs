use crate::common::validation::{optional_text, required_text};
use crate::common::{CampaignId, FieldError, FieldErrors, TemplateId, TerritoryId, UserId};
use crate::contacts::Lifecycle;
use serde::{Deserialize, Serialize};

/// Who a campaign goes to: contacts matching every given filter, in the sender's scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Segment {
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub lifecycle: Option<Lifecycle>,
    #[serde(default)]
    pub territory_id: Option<TerritoryId>,
    #[serde(default)]
    pub owner_id: Option<UserId>,
}

impl Segment {
    /// The tag trimmed and lower-cased (tags are stored so), blank as none.
    pub fn normalized(&self) -> Result<Segment, FieldError> {
        let tag = optional_text(self.tag.as_deref().unwrap_or(""), 60)?.map(|t| t.to_lowercase());
        Ok(Segment { tag, ..self.clone() })
    }
}

/// `POST /api/v1/campaigns`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CampaignInput {
    pub name: String,
    pub template_id: TemplateId,
    #[serde(default)]
    pub segment: Segment,
}

impl CampaignInput {
    pub fn validate(&self) -> Result<CampaignInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", required_text(&self.name, 120));
        let segment = e.check("segment.tag", self.segment.normalized());
        e.into_result(|| CampaignInput {
            name: name.unwrap_or_default(),
            template_id: self.template_id,
            segment: segment.unwrap_or_default(),
        })
    }
}

/// `POST /api/v1/campaigns/audience`: how many a segment reaches, before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Audience {
    /// Contacts with an email address who agreed to email.
    pub recipients: i64,
    /// Matching contacts left out: no consent to email, or no address.
    pub without_consent: i64,
}

/// A campaign and what became of its emails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Campaign {
    pub id: CampaignId,
    pub name: String,
    pub template_name: String,
    pub segment: Segment,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub recipients: i64,
    pub skipped_no_consent: i64,
    pub sent: i64,
    /// Waiting for their turn (the throttle) or a retry.
    pub pending: i64,
    pub failed: i64,
    pub unsubscribed: i64,
}

/// The most recipients one campaign may have (narrow the segment beyond it).
pub const MAX_RECIPIENTS: i64 = 20_000;

/// `GET /api/v1/public/unsubscribe/{token}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Unsubscribe {
    /// The address that stops getting campaigns.
    pub email: String,
    pub done: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_campaign_needs_a_name_and_its_tag_is_normalized() {
        let input = CampaignInput {
            name: "  Eid offer ".into(),
            template_id: TemplateId::new(),
            segment: Segment { tag: Some("  VIP ".into()), ..Default::default() },
        };
        let ok = input.validate().unwrap();
        assert_eq!((ok.name.as_str(), ok.segment.tag.as_deref()), ("Eid offer", Some("vip")));
        let blank = CampaignInput { name: " ".into(), ..input };
        assert_eq!(blank.validate().unwrap_err().get("name"), Some(&FieldError::Required));
    }
}
