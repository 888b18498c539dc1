//! What a client sends to create or change a listing, and the parse that turns it into
//! [`NewListing`] / [`ListingChanges`]. The same parse runs in the browser form and on the server.

use super::{ListingKind, ListingStatus, Transaction, FEATURES, RENT_PERIODS};
use crate::common::validation::{optional_text, required_text};
use crate::common::{ContactId, FieldError, FieldErrors, GeoPoint, ListingId, Money, UserId};
use crate::contacts::LatLon;
use crate::deals::MoneyInput;
use serde::{Deserialize, Serialize};

const MAX_REFERENCE: usize = 40;
const MAX_TITLE: usize = 200;
const MAX_DESCRIPTION: usize = 5000;
const MAX_ADDRESS: usize = 500;

/// `POST /api/v1/listings`. A new listing is a `draft` unless `status` says `available`; the
/// reference is generated when not given; the creator is the agent unless `agent_id` says who.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ListingForCreate {
    #[serde(default)]
    pub id: Option<ListingId>,
    #[serde(default)]
    pub reference: Option<String>,
    pub title: String,
    pub kind: String,
    pub transaction: String,
    #[serde(default)]
    pub status: Option<String>,
    pub price: MoneyInput,
    #[serde(default)]
    pub rent_period: Option<String>,
    #[serde(default)]
    pub area_m2: Option<f64>,
    #[serde(default)]
    pub bedrooms: Option<i32>,
    #[serde(default)]
    pub bathrooms: Option<i32>,
    #[serde(default)]
    pub floor: Option<i32>,
    #[serde(default)]
    pub year_built: Option<i32>,
    #[serde(default)]
    pub features: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub location: Option<LatLon>,
    #[serde(default)]
    pub owner_contact_id: Option<ContactId>,
    #[serde(default)]
    pub agent_id: Option<UserId>,
    /// Values of the business's own listing fields, by key (checked on the server against their
    /// definitions).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub custom: serde_json::Map<String, serde_json::Value>,
}

/// The checked facts of a listing (everything but status, agent and identity).
#[derive(Debug, Clone, PartialEq)]
pub struct ListingFacts {
    pub title: String,
    pub kind: ListingKind,
    pub transaction: Transaction,
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
    pub owner_contact_id: Option<ContactId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewListing {
    pub id: ListingId,
    pub reference: Option<String>,
    pub status: ListingStatus,
    pub facts: ListingFacts,
    pub agent_id: Option<UserId>,
    /// As sent: only the server knows every definition to check them against.
    pub custom: serde_json::Map<String, serde_json::Value>,
}

/// A reference code: letters, digits and dashes (`DH-2026-0042`), upper-cased.
pub fn parse_reference(raw: &str) -> Result<Option<String>, FieldError> {
    let v = raw.trim().to_ascii_uppercase();
    if v.is_empty() {
        return Ok(None);
    }
    if v.len() > MAX_REFERENCE {
        return Err(FieldError::TooLong { max: MAX_REFERENCE });
    }
    if !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/') {
        return Err(FieldError::NotAllowed);
    }
    Ok(Some(v))
}

fn kind(raw: &str) -> Result<ListingKind, FieldError> {
    ListingKind::parse(raw).ok_or(FieldError::NotAllowed)
}

fn transaction(raw: &str) -> Result<Transaction, FieldError> {
    Transaction::parse(raw).ok_or(FieldError::NotAllowed)
}

/// Features from the known list, each once, in the list's order.
pub fn parse_features(raw: &[String]) -> Result<Vec<String>, FieldError> {
    let wanted: Vec<String> = raw.iter().map(|f| f.trim().to_ascii_lowercase()).filter(|f| !f.is_empty()).collect();
    if wanted.iter().any(|f| !FEATURES.contains(&f.as_str())) {
        return Err(FieldError::NotAllowed);
    }
    Ok(FEATURES.iter().filter(|f| wanted.iter().any(|w| w == *f)).map(|f| (*f).to_string()).collect())
}

fn count(value: Option<i32>, max: i32) -> Result<Option<i32>, FieldError> {
    match value {
        Some(v) if v < 0 => Err(FieldError::Negative),
        Some(v) if v > max => Err(FieldError::NotAllowed),
        other => Ok(other),
    }
}

fn area(value: Option<f64>) -> Result<Option<f64>, FieldError> {
    match value {
        Some(v) if !v.is_finite() => Err(FieldError::NotAllowed),
        Some(v) if v < 0.0 => Err(FieldError::Negative),
        Some(v) if v > 10_000_000.0 => Err(FieldError::NotAllowed),
        other => Ok(other),
    }
}

fn year(value: Option<i32>) -> Result<Option<i32>, FieldError> {
    match value {
        Some(y) if !(1000..=2100).contains(&y) => Err(FieldError::NotAllowed),
        other => Ok(other),
    }
}

fn floor(value: Option<i32>) -> Result<Option<i32>, FieldError> {
    match value {
        Some(f) if !(-10..=300).contains(&f) => Err(FieldError::NotAllowed),
        other => Ok(other),
    }
}

/// A rent period only for rentals (default `month`); none for sales.
fn rent_period(raw: Option<&str>, transaction: Option<Transaction>) -> Result<Option<String>, FieldError> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty());
    match (transaction, raw) {
        (Some(Transaction::Rent), None) => Ok(Some("month".into())),
        (Some(Transaction::Rent), Some(r)) if RENT_PERIODS.contains(&r) => Ok(Some(r.into())),
        (Some(Transaction::Rent), Some(_)) => Err(FieldError::NotAllowed),
        (_, Some(_)) => Err(FieldError::NotAllowed),
        (_, None) => Ok(None),
    }
}

fn location(value: Option<LatLon>) -> Result<Option<GeoPoint>, FieldError> {
    value.map(|p| GeoPoint::new(p.lat, p.lon)).transpose()
}

impl ListingForCreate {
    pub fn validate(&self) -> Result<NewListing, FieldErrors> {
        let mut e = FieldErrors::new();
        let reference = self.reference.as_deref().and_then(|r| e.check("reference", parse_reference(r)).flatten());
        let status =
            self.status.as_deref().map(str::trim).filter(|s| !s.is_empty()).map_or(Some(ListingStatus::Draft), |s| {
                match ListingStatus::parse(s) {
                    // A listing starts as a draft or goes straight on the market.
                    Some(s @ (ListingStatus::Draft | ListingStatus::Available)) => Some(s),
                    _ => e.check("status", Err(FieldError::NotAllowed)),
                }
            });
        let facts = self.check_facts(&mut e);
        e.into_result(|| NewListing {
            id: self.id.unwrap_or_default(),
            reference,
            status: status.unwrap(),
            agent_id: self.agent_id,
            facts: facts.unwrap(),
            custom: self.custom.clone(),
        })
    }

    /// Checks the facts (everything but identity, status and agent), adding each bad field to
    /// `e`; `None` when any is bad. Creating and changing a listing both check through here.
    fn check_facts(&self, e: &mut FieldErrors) -> Option<ListingFacts> {
        let title = e.check("title", required_text(&self.title, MAX_TITLE));
        let kind = e.check("kind", kind(&self.kind));
        let transaction = e.check("transaction", transaction(&self.transaction));
        let price = e.check("price", self.price.parse());
        let rent_period = e.check("rent_period", rent_period(self.rent_period.as_deref(), transaction));
        let area_m2 = e.check("area_m2", area(self.area_m2));
        let bedrooms = e.check("bedrooms", count(self.bedrooms, 100));
        let bathrooms = e.check("bathrooms", count(self.bathrooms, 100));
        let floor = e.check("floor", floor(self.floor));
        let year_built = e.check("year_built", year(self.year_built));
        let features = e.check("features", parse_features(&self.features));
        let description =
            e.check("description", optional_text(self.description.as_deref().unwrap_or(""), MAX_DESCRIPTION));
        let address = e.check("address", optional_text(self.address.as_deref().unwrap_or(""), MAX_ADDRESS));
        let location = e.check("location", location(self.location));
        Some(ListingFacts {
            title: title?,
            kind: kind?,
            transaction: transaction?,
            price: price?,
            rent_period: rent_period?,
            area_m2: area_m2?,
            bedrooms: bedrooms?,
            bathrooms: bathrooms?,
            floor: floor?,
            year_built: year_built?,
            features: features?,
            description: description?,
            address: address?,
            location: location?,
            owner_contact_id: self.owner_contact_id,
        })
    }
}

/// `PATCH /api/v1/listings/{id}`: absent fields stay; `null` clears an optional one. A status
/// change must be one [`ListingStatus::next`] allows (409 otherwise) and is written to the history.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ListingForUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<MoneyInput>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub rent_period: Option<Option<String>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<f64>))]
    pub area_m2: Option<Option<f64>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i32>))]
    pub bedrooms: Option<Option<i32>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i32>))]
    pub bathrooms: Option<Option<i32>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i32>))]
    pub floor: Option<Option<i32>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i32>))]
    pub year_built: Option<Option<i32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub features: Option<Vec<String>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub description: Option<Option<String>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub address: Option<Option<String>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<LatLon>))]
    pub location: Option<Option<LatLon>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub owner_contact_id: Option<Option<ContactId>>,
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub agent_id: Option<Option<UserId>>,
    /// The custom values to change, by key (`null` clears one); keys left out stay as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub custom: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A checked change. `apply` gives the facts after it; the status is checked against the
/// current one by the caller (it needs the stored status and transaction).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListingChanges {
    pub base_version: Option<i64>,
    pub reference: Option<Option<String>>,
    pub status: Option<ListingStatus>,
    pub agent_id: Option<Option<UserId>>,
    input: ListingForUpdate,
}

impl ListingForUpdate {
    /// Checks the fields that do not depend on the stored listing.
    pub fn validate(&self) -> Result<ListingChanges, FieldErrors> {
        let mut e = FieldErrors::new();
        let reference = self.reference.as_deref().and_then(|r| e.check("reference", parse_reference(r)));
        let status = self
            .status
            .as_deref()
            .and_then(|s| e.check("status", ListingStatus::parse(s).ok_or(FieldError::NotAllowed)));
        e.into_result(|| ListingChanges {
            base_version: self.base_version,
            reference,
            status,
            agent_id: self.agent_id,
            input: self.clone(),
        })
    }
}

impl ListingChanges {
    /// The facts of `current` with these changes applied, checked as a whole (a rental keeps
    /// a rent period; a sale has none).
    pub fn apply(&self, current: &ListingFacts) -> Result<ListingFacts, FieldErrors> {
        let i = &self.input;
        let transaction = i.transaction.clone().unwrap_or_else(|| current.transaction.as_str().into());
        // A sale turned rental gets the default period; a rental turned sale drops its period.
        let rent_period = match &i.rent_period {
            Some(p) => p.clone(),
            None => current.rent_period.clone().filter(|_| Transaction::parse(&transaction) == Some(Transaction::Rent)),
        };
        let merged = ListingForCreate {
            id: None,
            reference: None,
            title: i.title.clone().unwrap_or_else(|| current.title.clone()),
            kind: i.kind.clone().unwrap_or_else(|| current.kind.as_str().into()),
            transaction,
            status: None,
            price: i.price.clone().unwrap_or_else(|| MoneyInput {
                amount: current.price.amount(),
                currency: current.price.currency().to_string(),
            }),
            rent_period,
            area_m2: i.area_m2.unwrap_or(current.area_m2),
            bedrooms: i.bedrooms.unwrap_or(current.bedrooms),
            bathrooms: i.bathrooms.unwrap_or(current.bathrooms),
            floor: i.floor.unwrap_or(current.floor),
            year_built: i.year_built.unwrap_or(current.year_built),
            features: i.features.clone().unwrap_or_else(|| current.features.clone()),
            description: i.description.clone().unwrap_or_else(|| current.description.clone()),
            address: i.address.clone().unwrap_or_else(|| current.address.clone()),
            location: i.location.unwrap_or_else(|| current.location.map(|p| LatLon { lat: p.lat(), lon: p.lon() })),
            owner_contact_id: i.owner_contact_id.unwrap_or(current.owner_contact_id),
            agent_id: None,
            custom: serde_json::Map::new(),
        };
        let mut e = FieldErrors::new();
        let facts = merged.check_facts(&mut e);
        e.into_result(|| facts.unwrap())
    }

    /// The owner contact asked for, when it changes to a contact (to check it is in scope).
    pub fn new_owner_contact(&self) -> Option<ContactId> {
        self.input.owner_contact_id.flatten()
    }
}

impl NewListing {
    /// The listing as this device shows it before the server has it (no reference or
    /// territory yet: the server gives them).
    pub fn to_local(&self, agent: Option<UserId>, now: chrono::DateTime<chrono::Utc>) -> super::Listing {
        let mut listing = super::Listing {
            id: self.id,
            reference: self.reference.clone().unwrap_or_default(),
            title: String::new(),
            kind: self.facts.kind,
            transaction: self.facts.transaction,
            status: self.status,
            price: self.facts.price.clone(),
            rent_period: None,
            area_m2: None,
            bedrooms: None,
            bathrooms: None,
            floor: None,
            year_built: None,
            features: Vec::new(),
            description: None,
            address: None,
            location: None,
            territory_id: None,
            owner_contact_id: None,
            owner_name: None,
            agent_id: self.agent_id.or(agent),
            agent_name: None,
            photos: Vec::new(),
            share_token: None,
            custom: self.custom.clone().into_iter().filter(|(_, v)| !v.is_null()).collect(),
            version: 0,
            created_at: now,
            updated_at: now,
        };
        listing.set_facts(&self.facts);
        listing
    }
}

impl super::Listing {
    /// Writes checked facts into the record (a change shown on the device before the server has it).
    pub fn set_facts(&mut self, facts: &ListingFacts) {
        let f = facts.clone();
        (self.title, self.kind, self.transaction, self.price, self.rent_period) =
            (f.title, f.kind, f.transaction, f.price, f.rent_period);
        (self.area_m2, self.bedrooms, self.bathrooms, self.floor, self.year_built) =
            (f.area_m2, f.bedrooms, f.bathrooms, f.floor, f.year_built);
        (self.features, self.description, self.address, self.location, self.owner_contact_id) =
            (f.features, f.description, f.address, f.location, f.owner_contact_id);
    }

    /// Writes custom value changes into the record (`null` clears one), as the device shows
    /// them before the server has checked them.
    pub fn set_custom(&mut self, changes: &serde_json::Map<String, serde_json::Value>) {
        for (key, value) in changes {
            if value.is_null() {
                self.custom.remove(key);
            } else {
                self.custom.insert(key.clone(), value.clone());
            }
        }
    }
}

impl super::Listing {
    pub fn facts(&self) -> ListingFacts {
        ListingFacts {
            title: self.title.clone(),
            kind: self.kind,
            transaction: self.transaction,
            price: self.price.clone(),
            rent_period: self.rent_period.clone(),
            area_m2: self.area_m2,
            bedrooms: self.bedrooms,
            bathrooms: self.bathrooms,
            floor: self.floor,
            year_built: self.year_built,
            features: self.features.clone(),
            description: self.description.clone(),
            address: self.address.clone(),
            location: self.location,
            owner_contact_id: self.owner_contact_id,
        }
    }
}

/// `GET /api/v1/listings` filters, as the browser and the query string carry them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ListingQuery {
    /// `apartment`, `house`, `land`, `commercial` or `office`.
    pub kind: Option<String>,
    /// `sale` or `rent`.
    pub transaction: Option<String>,
    /// One status, or several separated by commas.
    pub status: Option<String>,
    /// Lowest price, in minor units.
    pub price_min: Option<i64>,
    /// Highest price, in minor units.
    pub price_max: Option<i64>,
    /// At least this many bedrooms.
    pub bedrooms: Option<i32>,
    pub area_min: Option<f64>,
    pub area_max: Option<f64>,
    pub territory: Option<String>,
    pub agent: Option<String>,
    /// Words in the title, reference or address.
    pub q: Option<String>,
    /// A map box: `west,south,east,north`.
    pub bbox: Option<String>,
    /// Conditions on custom fields: `facing=south|east;service_charge~0..500000;gas=`
    /// (one of; a range of numbers, minor units or dates; empty), separated by `;`.
    pub custom: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// [`ListingQuery`] checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListingFilter {
    pub kind: Option<ListingKind>,
    pub transaction: Option<Transaction>,
    pub statuses: Vec<ListingStatus>,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    pub bedrooms: Option<i32>,
    pub area_min: Option<f64>,
    pub area_max: Option<f64>,
    pub territory: Option<crate::common::TerritoryId>,
    pub agent: Option<UserId>,
    pub text: Option<String>,
    /// West, south, east, north.
    pub bbox: Option<[f64; 4]>,
    /// Conditions on custom fields, parsed by the server against their definitions (see
    /// [`crate::fields::filter`]); a device's own search leaves them out.
    pub custom: Vec<crate::fields::filter::Condition>,
}

impl ListingFilter {
    /// Whether `l` passes this filter, as the server's list would decide (for reading the
    /// device's copy without a network).
    pub fn admits(&self, l: &super::Listing) -> bool {
        let text = self.text.as_deref().map(str::to_lowercase);
        let within = |v: Option<f64>, min: Option<f64>, max: Option<f64>| {
            min.is_none_or(|m| v.is_some_and(|v| v >= m)) && max.is_none_or(|m| v.is_some_and(|v| v <= m))
        };
        self.kind.is_none_or(|k| k == l.kind)
            && self.transaction.is_none_or(|t| t == l.transaction)
            && (self.statuses.is_empty() || self.statuses.contains(&l.status))
            && self.price_min.is_none_or(|m| l.price.amount() >= m)
            && self.price_max.is_none_or(|m| l.price.amount() <= m)
            && self.bedrooms.is_none_or(|b| l.bedrooms.is_some_and(|have| have >= b))
            && within(l.area_m2, self.area_min, self.area_max)
            && self.territory.is_none_or(|t| l.territory_id == Some(t))
            && self.agent.is_none_or(|a| l.agent_id == Some(a))
            && text.is_none_or(|t| {
                [Some(&l.title), Some(&l.reference), l.address.as_ref()]
                    .into_iter()
                    .flatten()
                    .any(|field| field.to_lowercase().contains(&t))
            })
            && self.bbox.is_none_or(|[w, s, e, n]| {
                l.location.is_some_and(|p| p.lon() >= w && p.lon() <= e && p.lat() >= s && p.lat() <= n)
            })
    }
}

fn blank(v: Option<&String>) -> Option<&str> {
    v.map(|v| v.trim()).filter(|v| !v.is_empty())
}

impl ListingQuery {
    pub fn validate(&self) -> Result<ListingFilter, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind_f = blank(self.kind.as_ref()).and_then(|k| e.check("kind", kind(k)));
        let transaction_f = blank(self.transaction.as_ref()).and_then(|t| e.check("transaction", transaction(t)));
        let statuses = blank(self.status.as_ref())
            .map(|s| {
                s.split(',')
                    .filter_map(|one| e.check("status", ListingStatus::parse(one).ok_or(FieldError::NotAllowed)))
                    .collect()
            })
            .unwrap_or_default();
        for (field, value) in [("price_min", self.price_min), ("price_max", self.price_max)] {
            if value.is_some_and(|v| v < 0) {
                e.add(field, FieldError::Negative);
            }
        }
        let bedrooms = e.check("bedrooms", count(self.bedrooms, 100)).flatten();
        let area_min = e.check("area_min", area(self.area_min)).flatten();
        let area_max = e.check("area_max", area(self.area_max)).flatten();
        let territory = blank(self.territory.as_ref())
            .and_then(|t| e.check("territory", crate::common::TerritoryId::parse(t).ok_or(FieldError::NotAllowed)));
        let agent =
            blank(self.agent.as_ref()).and_then(|a| e.check("agent", UserId::parse(a).ok_or(FieldError::NotAllowed)));
        let bbox = blank(self.bbox.as_ref()).and_then(|b| e.check("bbox", parse_bbox(b)));
        let text = blank(self.q.as_ref()).map(|q| q.chars().take(100).collect::<String>());
        e.into_result(|| ListingFilter {
            kind: kind_f,
            transaction: transaction_f,
            statuses,
            price_min: self.price_min,
            price_max: self.price_max,
            bedrooms,
            area_min,
            area_max,
            territory,
            agent,
            text,
            bbox,
            custom: vec![],
        })
    }
}

/// `west,south,east,north` in degrees.
pub fn parse_bbox(raw: &str) -> Result<[f64; 4], FieldError> {
    let parts: Vec<f64> = raw
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| FieldError::InvalidLocation)?;
    let [w, s, e, n] = parts[..] else { return Err(FieldError::InvalidLocation) };
    if !(-180.0..=180.0).contains(&w)
        || !(-180.0..=180.0).contains(&e)
        || !(-90.0..=90.0).contains(&s)
        || !(-90.0..=90.0).contains(&n)
        || s > n
    {
        return Err(FieldError::InvalidLocation);
    }
    Ok([w, s, e, n])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn create(json: &str) -> Result<NewListing, FieldErrors> {
        serde_json::from_str::<ListingForCreate>(json).unwrap().validate()
    }

    #[test]
    fn the_documented_create_shape_is_accepted() {
        let new = create(
            r#"{"title": "3-bed in Gulshan", "kind": "apartment", "transaction": "sale", "status": "available",
            "price": {"amount": 12500000, "currency": "BDT"}, "bedrooms": 3, "area_m2": 120,
            "location": {"lat": 23.79, "lon": 90.41}}"#,
        )
        .unwrap();
        assert_eq!(new.status, ListingStatus::Available);
        assert_eq!(new.facts.bedrooms, Some(3));
        assert_eq!(new.facts.rent_period, None);
    }

    #[test]
    fn bad_fields_are_named() {
        let e = create(
            r#"{"title": " ", "kind": "castle", "transaction": "rent", "status": "sold", "price": {"amount": -1, "currency": "BDT"},
            "rent_period": "week", "bedrooms": -2, "features": ["moat"], "year_built": 99, "reference": "a b"}"#,
        )
        .unwrap_err();
        for field in
            ["title", "kind", "status", "price", "rent_period", "bedrooms", "features", "year_built", "reference"]
        {
            assert!(e.get(field).is_some(), "{field} should be an error: {e:?}");
        }
    }

    #[test]
    fn rentals_get_a_period_and_features_keep_the_list_order() {
        let new = create(
            r#"{"title": "Flat", "kind": "apartment", "transaction": "rent", "price": {"amount": 4500000, "currency": "BDT"},
            "features": ["Lift", "parking", "lift"]}"#,
        )
        .unwrap();
        assert_eq!(new.status, ListingStatus::Draft);
        assert_eq!(new.facts.rent_period.as_deref(), Some("month"));
        assert_eq!(new.facts.features, vec!["parking", "lift"]);
    }

    #[test]
    fn a_change_applies_over_the_stored_facts() {
        let current = create(
            r#"{"title": "Flat", "kind": "apartment", "transaction": "rent", "price": {"amount": 1, "currency": "BDT"}, "bedrooms": 2}"#,
        )
        .unwrap()
        .facts;
        let changes: ListingForUpdate =
            serde_json::from_str(r#"{"transaction": "sale", "bedrooms": null, "title": "House"}"#).unwrap();
        let facts = changes.validate().unwrap().apply(&current).unwrap();
        assert_eq!(
            (facts.title.as_str(), facts.transaction, facts.bedrooms, facts.rent_period),
            ("House", Transaction::Sale, None, None)
        );
    }

    #[test]
    fn filters_check_each_field() {
        let q = ListingQuery {
            status: Some("available,under_offer".into()),
            bbox: Some("90.3,23.7,90.5,23.9".into()),
            ..Default::default()
        };
        let f = q.validate().unwrap();
        assert_eq!(f.statuses, vec![ListingStatus::Available, ListingStatus::UnderOffer]);
        assert_eq!(f.bbox, Some([90.3, 23.7, 90.5, 23.9]));
        let bad = ListingQuery {
            status: Some("gone".into()),
            bbox: Some("1,2,3".into()),
            price_min: Some(-5),
            ..Default::default()
        };
        let e = bad.validate().unwrap_err();
        assert!(e.get("status").is_some() && e.get("bbox").is_some() && e.get("price_min").is_some());
    }
}
