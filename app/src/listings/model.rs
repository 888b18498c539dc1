//! Real-estate listings and their status machine.

use crate::common::{ContactId, GeoPoint, ListingId, Money, PhotoId, TerritoryId, UserId};
use serde::{Deserialize, Serialize};

/// Features a listing can have and a buyer can insist on. Free text is refused so that a
/// requirement and a listing always speak the same words.
pub const FEATURES: [&str; 12] = [
    "parking",
    "lift",
    "garden",
    "balcony",
    "furnished",
    "air_conditioning",
    "generator",
    "security",
    "pool",
    "gym",
    "pets_allowed",
    "sea_view",
];

/// How often rent is due.
pub const RENT_PERIODS: [&str; 2] = ["month", "year"];

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

impl ListingKind {
    pub const ALL: [ListingKind; 5] = [Self::Apartment, Self::House, Self::Land, Self::Commercial, Self::Office];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Apartment => "apartment",
            Self::House => "house",
            Self::Land => "land",
            Self::Commercial => "commercial",
            Self::Office => "office",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw.trim())
    }
}

impl Transaction {
    pub const ALL: [Transaction; 2] = [Self::Sale, Self::Rent];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sale => "sale",
            Self::Rent => "rent",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw.trim())
    }
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
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    /// Matching buyers hear about a listing, and showings are booked, only while it is on the market.
    pub fn on_market(self) -> bool {
        matches!(self, Self::Available | Self::UnderOffer)
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
    /// The cover photo, when the listing has photos.
    pub cover_photo_id: Option<PhotoId>,
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
    pub owner_contact_id: Option<ContactId>,
    /// The owner's name, for the listing page.
    pub owner_name: Option<String>,
    pub agent_id: Option<UserId>,
    pub agent_name: Option<String>,
    /// Photos in gallery order; the cover first.
    pub photos: Vec<Photo>,
    /// The public share link's token, while sharing is on.
    pub share_token: Option<String>,
    /// The business's own fields (`GET /api/v1/fields?record_type=listing`): key → value.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub custom: crate::fields::CustomValues,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Listing {
    /// The listing as a list row (for maps and cards).
    pub fn summary(&self) -> ListingSummary {
        ListingSummary {
            id: self.id,
            reference: self.reference.clone(),
            title: self.title.clone(),
            kind: self.kind,
            transaction: self.transaction,
            status: self.status,
            price: self.price.clone(),
            bedrooms: self.bedrooms,
            area_m2: self.area_m2,
            address: self.address.clone(),
            location: self.location,
            territory_id: self.territory_id,
            agent_id: self.agent_id,
            cover_photo_id: self.photos.first().map(|p| p.id),
            version: self.version,
        }
    }
}

/// One photo of a listing. Its bytes are at `/api/v1/listings/{listing}/photos/{id}?size=…`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Photo {
    pub id: PhotoId,
    pub position: i64,
    pub is_cover: bool,
    pub content_type: String,
    pub size_bytes: i64,
    pub width: i64,
    pub height: i64,
}

/// One step of a listing's status history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub from: Option<ListingStatus>,
    pub to: ListingStatus,
    pub at: chrono::DateTime<chrono::Utc>,
    pub by: Option<UserId>,
    pub by_name: Option<String>,
}

/// A showing of the listing: the appointment and, once carried out, the visit's feedback.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Showing {
    pub appointment_id: crate::common::AppointmentId,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub status: crate::appointments::AppointmentStatus,
    pub contact_id: Option<ContactId>,
    pub contact_name: Option<String>,
    pub assignee_id: Option<UserId>,
    pub assignee_name: Option<String>,
    pub visit_id: Option<crate::common::VisitId>,
    pub outcome: Option<String>,
    pub buyer_reaction: Option<crate::visits::BuyerReaction>,
    pub notes: Option<String>,
}

/// What the public share link shows: the listing without its owner, agent notes, or history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicListing {
    pub reference: String,
    pub title: String,
    pub kind: ListingKind,
    pub transaction: Transaction,
    pub status: ListingStatus,
    pub price: Money,
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
    pub photos: Vec<Photo>,
}

impl From<Listing> for PublicListing {
    fn from(l: Listing) -> Self {
        PublicListing {
            reference: l.reference,
            title: l.title,
            kind: l.kind,
            transaction: l.transaction,
            status: l.status,
            price: l.price,
            rent_period: l.rent_period,
            area_m2: l.area_m2,
            bedrooms: l.bedrooms,
            bathrooms: l.bathrooms,
            floor: l.floor,
            year_built: l.year_built,
            features: l.features,
            description: l.description,
            address: l.address,
            location: l.location,
            photos: l.photos,
        }
    }
}

/// `POST /api/v1/listings/{id}/share`: the link to hand out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ShareLink {
    pub token: String,
    pub url: String,
}

/// `PUT /api/v1/listings/{id}/photos/order`: photo ids in their new order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PhotoOrder {
    pub photo_ids: Vec<PhotoId>,
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
