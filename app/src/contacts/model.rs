//! Contacts: people and companies, and their lifecycle.

use crate::common::{ContactId, GeoPoint, TerritoryId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ContactKind {
    Person,
    Company,
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
    pub version: i64,
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
