//! Real-estate listings and their status machine.

use crate::common::{GeoPoint, ListingId, Money, TerritoryId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ListingKind {
    Apartment,
    House,
    Land,
    Commercial,
    Office,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Transaction {
    Sale,
    Rent,
}

/// `draft → available → under_offer → sold | rented`, or `withdrawn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ListingStatus {
    Draft,
    Available,
    UnderOffer,
    Sold,
    Rented,
    Withdrawn,
}

impl ListingStatus {
    pub const ALL: [ListingStatus; 6] =
        [Self::Draft, Self::Available, Self::UnderOffer, Self::Sold, Self::Rented, Self::Withdrawn];

    /// The statuses a listing may move to. `sold` only for sales and `rented` only for rentals;
    /// an offer that falls through returns the listing to `available`; a withdrawn listing can
    /// be relisted; sold and rented are final.
    pub fn next(self, transaction: Transaction) -> Vec<ListingStatus> {
        use ListingStatus::*;
        let closed = match transaction {
            Transaction::Sale => Sold,
            Transaction::Rent => Rented,
        };
        match self {
            Draft => vec![Available, Withdrawn],
            Available => vec![UnderOffer, closed, Withdrawn],
            UnderOffer => vec![Available, closed, Withdrawn],
            Withdrawn => vec![Available],
            Sold | Rented => vec![],
        }
    }

    pub fn can_become(self, to: ListingStatus, transaction: Transaction) -> bool {
        self.next(transaction).contains(&to)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Available => "available",
            Self::UnderOffer => "under_offer",
            Self::Sold => "sold",
            Self::Rented => "rented",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// A listing in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ListingSummary {
    pub id: ListingId,
    pub reference: String,
    pub title: String,
    pub kind: ListingKind,
    pub transaction: Transaction,
    pub status: ListingStatus,
    pub price: Money,
    pub bedrooms: Option<i32>,
    pub area_m2: Option<f64>,
    pub address: Option<String>,
    pub location: Option<GeoPoint>,
    pub territory_id: Option<TerritoryId>,
    pub agent_id: Option<UserId>,
    pub version: i64,
}

/// A listing as a whole record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Listing {
    pub id: ListingId,
    pub reference: String,
    pub title: String,
    pub kind: ListingKind,
    pub transaction: Transaction,
    pub status: ListingStatus,
    pub price: Money,
    /// For rentals: `month` or `year`.
    pub rent_period: Option<String>,
    pub area_m2: Option<f64>,
    pub bedrooms: Option<i32>,
    pub bathrooms: Option<i32>,
    pub floor: Option<i32>,
    pub year_built: Option<i32>,
    pub features: Vec<String>,
    pub description: Option<String>,
    pub address: Option<String>,
    pub location: Option<GeoPoint>,
    pub territory_id: Option<TerritoryId>,
    pub owner_contact_id: Option<crate::common::ContactId>,
    pub agent_id: Option<UserId>,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// One step of a listing's status history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub from: Option<ListingStatus>,
    pub to: ListingStatus,
    pub at: chrono::DateTime<chrono::Utc>,
    pub by: Option<UserId>,
}

#[cfg(test)]
mod tests {
    use super::ListingStatus::{self, *};
    use super::Transaction;

    #[test]
    fn listing_transitions_are_exactly_the_documented_ones() {
        let common = [
            (Draft, Available),
            (Draft, Withdrawn),
            (Available, UnderOffer),
            (Available, Withdrawn),
            (UnderOffer, Available),
            (UnderOffer, Withdrawn),
            (Withdrawn, Available),
        ];
        for (transaction, closed) in [(Transaction::Sale, Sold), (Transaction::Rent, Rented)] {
            let allowed: Vec<_> = common.iter().copied().chain([(Available, closed), (UnderOffer, closed)]).collect();
            for from in ListingStatus::ALL {
                for to in ListingStatus::ALL {
                    let expected = allowed.contains(&(from, to));
                    assert_eq!(from.can_become(to, transaction), expected, "{transaction:?}: {from:?} -> {to:?}");
                }
            }
        }
        assert!(ListingStatus::ALL.iter().all(|s| ListingStatus::parse(s.as_str()) == Some(*s)));
    }
}
