//! Contacts: people and companies, and their lifecycle.

use crate::common::{ContactId, FieldError, GeoPoint, TerritoryId, TimeZone, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ContactKind {
    Person,
    Company,
}

impl ContactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Company => "company",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw.trim() {
            "person" => Ok(Self::Person),
            "company" => Ok(Self::Company),
            _ => Err(FieldError::NotAllowed),
        }
    }
}

/// Where a contact is in the relationship: `lead → prospect → customer`, or `inactive`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Lifecycle {
    Lead,
    Prospect,
    Customer,
    Inactive,
}

impl Lifecycle {
    pub const ALL: [Lifecycle; 4] = [Self::Lead, Self::Prospect, Self::Customer, Self::Inactive];

    /// The stages a contact may move to from this one. A walk-in buyer may go straight from
    /// lead to customer; any contact can go inactive; an inactive contact comes back as a lead.
    pub fn next(self) -> &'static [Lifecycle] {
        use Lifecycle::*;
        match self {
            Lead => &[Prospect, Customer, Inactive],
            Prospect => &[Customer, Inactive],
            Customer => &[Inactive],
            Inactive => &[Lead],
        }
    }

    pub fn can_become(self, to: Lifecycle) -> bool {
        self.next().contains(&to)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Lead => "lead",
            Self::Prospect => "prospect",
            Self::Customer => "customer",
            Self::Inactive => "inactive",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == raw)
    }
}

/// A contact in a list: what a rep needs to recognise and reach them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ContactSummary {
    pub id: ContactId,
    pub kind: ContactKind,
    pub name: String,
    pub lifecycle: Lifecycle,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub location: Option<GeoPoint>,
    pub territory_id: Option<TerritoryId>,
    pub owner_id: Option<UserId>,
    pub tags: Vec<String>,
    pub archived: bool,
    /// The company a person works at.
    #[serde(default)]
    pub company_name: Option<String>,
    /// The owner's name (the server's list fills it; a device's own search leaves it out).
    #[serde(default)]
    pub owner_name: Option<String>,
    /// The territory's name, likewise.
    #[serde(default)]
    pub territory_name: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// The last call, note or visit.
    #[serde(default)]
    pub last_activity_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The business's own fields (the desk table's columns).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub custom: crate::fields::CustomValues,
    pub version: i64,
}

impl From<&Contact> for ContactSummary {
    fn from(c: &Contact) -> ContactSummary {
        ContactSummary {
            id: c.id,
            kind: c.kind,
            name: c.name.clone(),
            lifecycle: c.lifecycle,
            phone: c.phones.first().map(|p| p.as_str().to_string()),
            email: c.emails.first().map(|e| e.as_str().to_string()),
            address: c.address.clone(),
            location: c.location,
            territory_id: c.territory_id,
            owner_id: c.owner_id,
            tags: c.tags.clone(),
            archived: c.archived,
            company_name: c.company_name.clone(),
            owner_name: None,
            territory_name: None,
            created_at: c.created_at,
            updated_at: c.updated_at,
            last_activity_at: c.last_activity_at,
            custom: c.custom.clone(),
            version: c.version,
        }
    }
}

/// Contacts that look like one person or company (`GET /api/v1/contacts/duplicates`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DuplicateGroup {
    /// `phone`, `email` or `name`: what they share (`name`: very similar names at one
    /// company, see [`super::dedupe`]).
    pub reason: String,
    /// The shared phone number or email address, or the company's name.
    pub value: String,
    /// Oldest first.
    pub contacts: Vec<ContactSummary>,
}

/// `POST /api/v1/contacts/{id}/merge`: the contacts to merge into this one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MergeRequest {
    pub from: Vec<ContactId>,
}

/// Preferred way to reach a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Channel {
    Phone,
    Whatsapp,
    Email,
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Self::Phone, Self::Whatsapp, Self::Email, Self::Sms];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phone => "phone",
            Self::Whatsapp => "whatsapp",
            Self::Email => "email",
            Self::Sms => "sms",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL.into_iter().find(|c| c.as_str() == raw.trim()).ok_or(FieldError::NotAllowed)
    }
}

/// What the contact agreed to be contacted by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Consent {
    pub email: bool,
    pub sms: bool,
    pub calls: bool,
}

/// A contact as a whole record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: ContactId,
    pub kind: ContactKind,
    pub name: String,
    pub company_id: Option<ContactId>,
    /// The company's name, when the contact belongs to one.
    pub company_name: Option<String>,
    pub lifecycle: Lifecycle,
    pub source: Option<String>,
    pub tags: Vec<String>,
    /// E.164; the first is the primary number.
    pub phones: Vec<crate::common::Phone>,
    /// Lower-case; the first is the primary address.
    pub emails: Vec<crate::common::Email>,
    pub address: Option<String>,
    pub location: Option<GeoPoint>,
    pub territory_id: Option<TerritoryId>,
    pub owner_id: Option<UserId>,
    pub preferred_channel: Option<Channel>,
    /// What the contact speaks: any language tag (up to 35 characters), not only the app's
    /// own `en` and `bn` (a feedback email to a contact in another language goes in English).
    pub language: Option<String>,
    pub time_zone: Option<TimeZone>,
    pub consent: Consent,
    pub notes: Option<String>,
    pub archived: bool,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// The last call, message, note or visit with this contact.
    pub last_activity_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The business's own fields (`GET /api/v1/fields?record_type=contact`): key → value.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub custom: crate::fields::CustomValues,
}

#[cfg(test)]
mod tests {
    use super::Lifecycle::{self, *};

    #[test]
    fn lifecycle_transitions_are_exactly_the_documented_ones() {
        let allowed = [
            (Lead, Prospect),
            (Lead, Customer),
            (Lead, Inactive),
            (Prospect, Customer),
            (Prospect, Inactive),
            (Customer, Inactive),
            (Inactive, Lead),
        ];
        for from in Lifecycle::ALL {
            for to in Lifecycle::ALL {
                assert_eq!(from.can_become(to), allowed.contains(&(from, to)), "{from:?} -> {to:?}");
            }
            assert_eq!(Lifecycle::parse(from.as_str()), Some(from));
        }
    }
}
