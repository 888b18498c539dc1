//! Matching buyers and tenants to listings: a listing meets a requirement when its transaction,
//! kind, area and must-have features fit; price, bedrooms and floor area may fall a little short
//! (at a cost to the score) because a buyer shown a flat 5 % over budget often buys it.
//! Plain Rust, shared by the server (ranking) and the browser (explaining).

use super::{ListingKind, Transaction};
use crate::common::{ContactId, FieldError, FieldErrors, Money, TerritoryId, UserId};
use crate::deals::MoneyInput;
use serde::{Deserialize, Serialize};

/// A listing may cost this much more than the buyer's top price and still be shown.
pub const PRICE_TOLERANCE: f64 = 0.10;
/// A listing may be this much smaller than the wanted floor area and still be shown.
pub const AREA_TOLERANCE: f64 = 0.10;
/// The most matches one request answers.
pub const MAX_MATCHES: usize = 50;

/// What a buyer or tenant is looking for (`PUT /api/v1/contacts/{id}/requirements`); a contact
/// has at most one per transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Requirement {
    pub transaction: Transaction,
    #[serde(default)]
    pub kinds: Vec<ListingKind>,
    pub price_min: Option<Money>,
    pub price_max: Option<Money>,
    pub min_bedrooms: Option<i32>,
    pub min_area_m2: Option<f64>,
    #[serde(default)]
    pub wanted_territories: Vec<TerritoryId>,
    #[serde(default)]
    pub features: Vec<String>,
}

/// The body of `PUT /api/v1/contacts/{id}/requirements`, checked into a [`Requirement`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RequirementForPut {
    pub transaction: String,
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub price_min: Option<MoneyInput>,
    #[serde(default)]
    pub price_max: Option<MoneyInput>,
    #[serde(default)]
    pub min_bedrooms: Option<i32>,
    #[serde(default)]
    pub min_area_m2: Option<f64>,
    #[serde(default)]
    pub wanted_territories: Vec<TerritoryId>,
    #[serde(default)]
    pub features: Vec<String>,
}

impl RequirementForPut {
    pub fn validate(&self) -> Result<Requirement, FieldErrors> {
        let mut e = FieldErrors::new();
        let transaction = e.check("transaction", Transaction::parse(&self.transaction).ok_or(FieldError::NotAllowed));
        let mut kinds = Vec::new();
        for raw in &self.kinds {
            match ListingKind::parse(raw) {
                Some(k) if !kinds.contains(&k) => kinds.push(k),
                Some(_) => {}
                None => e.add("kinds", FieldError::NotAllowed),
            }
        }
        let price_min = self.price_min.as_ref().and_then(|p| e.check("price_min", p.parse()));
        let price_max = self.price_max.as_ref().and_then(|p| e.check("price_max", p.parse()));
        if let (Some(min), Some(max)) = (&price_min, &price_max) {
            if min.currency() != max.currency() || min.amount() > max.amount() {
                e.add("price_max", FieldError::NotAllowed);
            }
        }
        if self.min_bedrooms.is_some_and(|b| !(0..=100).contains(&b)) {
            e.add("min_bedrooms", FieldError::NotAllowed);
        }
        if self.min_area_m2.is_some_and(|a| !a.is_finite() || !(0.0..=10_000_000.0).contains(&a)) {
            e.add("min_area_m2", FieldError::NotAllowed);
        }
        if self.wanted_territories.len() > 50 {
            e.add("wanted_territories", FieldError::TooMany { max: 50 });
        }
        let features = e.check("features", super::form::parse_features(&self.features));
        let mut territories = self.wanted_territories.clone();
        territories.dedup();
        e.into_result(|| Requirement {
            transaction: transaction.unwrap(),
            kinds,
            price_min,
            price_max,
            min_bedrooms: self.min_bedrooms,
            min_area_m2: self.min_area_m2,
            wanted_territories: territories,
            features: features.unwrap(),
        })
    }
}

impl Requirement {
    /// The currency the requirement's prices are in (a listing in another one never matches).
    pub fn currency(&self) -> Option<&str> {
        self.price_max.as_ref().or(self.price_min.as_ref()).map(|m| m.currency().as_str())
    }

    /// The highest price worth showing (the top price plus the tolerance), in minor units.
    pub fn price_ceiling(&self) -> Option<i64> {
        #[allow(clippy::cast_possible_truncation)]
        self.price_max.as_ref().map(|m| (m.amount() as f64 * (1.0 + PRICE_TOLERANCE)).floor() as i64)
    }
}

/// The facts of a listing that matching looks at.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    pub kind: ListingKind,
    pub transaction: Transaction,
    pub price: Money,
    pub bedrooms: Option<i32>,
    pub area_m2: Option<f64>,
    pub territory_id: Option<TerritoryId>,
    pub features: Vec<String>,
}

impl From<&super::Listing> for Offer {
    fn from(l: &super::Listing) -> Self {
        Offer {
            kind: l.kind,
            transaction: l.transaction,
            price: l.price.clone(),
            bedrooms: l.bedrooms,
            area_m2: l.area_m2,
            territory_id: l.territory_id,
            features: l.features.clone(),
        }
    }
}

/// Why a listing fits a requirement (or how it falls short); the UI words each one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Reason {
    /// The kind is one the buyer wants (or they take any).
    Kind {
        kind: ListingKind,
    },
    /// The price is within the budget.
    PriceInBudget,
    /// The price is this many percent over the top price (within the tolerance).
    PriceOverBudget {
        percent: u32,
    },
    /// The price is below the lowest the buyer named.
    PriceBelowRange,
    /// Bedrooms: what it has and the least the buyer wants.
    Bedrooms {
        has: i32,
        wanted: i32,
    },
    /// One bedroom fewer than wanted.
    BedroomsShort {
        has: i32,
        wanted: i32,
    },
    /// The listing does not say how many bedrooms it has.
    BedroomsUnknown,
    /// Floor area in m² (whole) and the least the buyer wants.
    Area {
        has: i64,
        wanted: i64,
    },
    /// Up to the tolerance smaller than wanted.
    AreaShort {
        has: i64,
        wanted: i64,
    },
    AreaUnknown,
    /// Has every must-have feature.
    Features {
        features: Vec<String>,
    },
    /// In one of the areas the buyer wants.
    InWantedArea,
}

impl Reason {
    /// The English sentence for REST clients.
    pub fn message(&self) -> String {
        match self {
            Self::Kind { kind } => format!("{} as wanted", kind.as_str()),
            Self::PriceInBudget => "price within budget".into(),
            Self::PriceOverBudget { percent } => format!("price {percent}% over budget"),
            Self::PriceBelowRange => "price below the range asked for".into(),
            Self::Bedrooms { has, wanted } => format!("{has} bedrooms ({wanted}+ wanted)"),
            Self::BedroomsShort { has, wanted } => format!("{has} bedrooms, one fewer than the {wanted} wanted"),
            Self::BedroomsUnknown => "bedrooms not stated".into(),
            Self::Area { has, wanted } => format!("{has} m² ({wanted}+ wanted)"),
            Self::AreaShort { has, wanted } => format!("{has} m², a little under the {wanted} wanted"),
            Self::AreaUnknown => "area not stated".into(),
            Self::Features { features } => format!("has {}", features.join(", ")),
            Self::InWantedArea => "in a wanted area".into(),
        }
    }

    /// True for reasons that count against the match.
    pub fn is_shortfall(&self) -> bool {
        matches!(
            self,
            Self::PriceOverBudget { .. }
                | Self::PriceBelowRange
                | Self::BedroomsShort { .. }
                | Self::BedroomsUnknown
                | Self::AreaShort { .. }
                | Self::AreaUnknown
        )
    }
}

/// How well a listing meets a requirement: 1–100 and the reasons, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Fit {
    pub score: u8,
    pub reasons: Vec<Reason>,
}

/// Scores `offer` against `req`; `None` when it does not meet it.
pub fn fit(offer: &Offer, req: &Requirement) -> Option<Fit> {
    if offer.transaction != req.transaction {
        return None;
    }
    let mut score: f64 = 100.0;
    let mut reasons = Vec::new();
    if !req.kinds.is_empty() {
        if !req.kinds.contains(&offer.kind) {
            return None;
        }
        reasons.push(Reason::Kind { kind: offer.kind });
    }
    if !req.wanted_territories.is_empty() {
        if !offer.territory_id.is_some_and(|t| req.wanted_territories.contains(&t)) {
            return None;
        }
        reasons.push(Reason::InWantedArea);
    }
    if let Some(currency) = req.currency() {
        if currency != offer.price.currency().as_str() {
            return None;
        }
        let price = offer.price.amount() as f64;
        match &req.price_max {
            Some(max) if price > max.amount() as f64 => {
                let over = (price - max.amount() as f64) / (max.amount() as f64).max(1.0);
                if over > PRICE_TOLERANCE + 1e-9 {
                    return None;
                }
                score -= over * 300.0;
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                reasons.push(Reason::PriceOverBudget { percent: (over * 100.0).ceil() as u32 });
            }
            _ if req.price_min.as_ref().is_some_and(|min| price < min.amount() as f64) => {
                score -= 5.0;
                reasons.push(Reason::PriceBelowRange);
            }
            _ => reasons.push(Reason::PriceInBudget),
        }
    }
    if let Some(wanted) = req.min_bedrooms.filter(|w| *w > 0) {
        match offer.bedrooms {
            Some(has) if has >= wanted => reasons.push(Reason::Bedrooms { has, wanted }),
            Some(has) if has + 1 == wanted => {
                score -= 20.0;
                reasons.push(Reason::BedroomsShort { has, wanted });
            }
            Some(_) => return None,
            None => {
                score -= 10.0;
                reasons.push(Reason::BedroomsUnknown);
            }
        }
    }
    if let Some(wanted) = req.min_area_m2.filter(|w| *w > 0.0) {
        #[allow(clippy::cast_possible_truncation)]
        let (has_m2, wanted_m2) = (offer.area_m2.unwrap_or(0.0).round() as i64, wanted.round() as i64);
        match offer.area_m2 {
            Some(has) if has >= wanted => reasons.push(Reason::Area { has: has_m2, wanted: wanted_m2 }),
            Some(has) if has >= wanted * (1.0 - AREA_TOLERANCE) => {
                score -= 15.0 * (wanted - has) / (wanted * AREA_TOLERANCE);
                reasons.push(Reason::AreaShort { has: has_m2, wanted: wanted_m2 });
            }
            Some(_) => return None,
            None => {
                score -= 10.0;
                reasons.push(Reason::AreaUnknown);
            }
        }
    }
    if !req.features.is_empty() {
        if !req.features.iter().all(|f| offer.features.contains(f)) {
            return None;
        }
        reasons.push(Reason::Features { features: req.features.clone() });
    }
    // Fits first, shortfalls after, so the first reason shown is the best news.
    reasons.sort_by_key(Reason::is_shortfall);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some(Fit { score: score.round().clamp(1.0, 100.0) as u8, reasons })
}

/// A buyer or tenant a listing suits (`GET /api/v1/listings/{id}/matches`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BuyerMatch {
    pub contact_id: ContactId,
    pub contact_name: String,
    pub owner_id: Option<UserId>,
    pub score: u8,
    pub reasons: Vec<Reason>,
    /// The reasons in English, for integrations.
    pub summary: String,
}

/// A listing that suits a buyer (`GET /api/v1/contacts/{id}/matches`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ListingMatch {
    pub listing: super::ListingSummary,
    pub score: u8,
    pub reasons: Vec<Reason>,
    pub summary: String,
}

/// The reasons joined into one English line.
pub fn summary(reasons: &[Reason]) -> String {
    reasons.iter().map(Reason::message).collect::<Vec<_>>().join("; ")
}

/// Keeps the `limit` best by score (ties: the earlier-listed first), sorted.
pub fn best<T>(mut scored: Vec<(u8, T)>, limit: usize) -> Vec<(u8, T)> {
    if scored.len() > limit {
        scored.select_nth_unstable_by(limit - 1, |a, b| b.0.cmp(&a.0));
        scored.truncate(limit);
    }
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bdt(amount: i64) -> Money {
        Money::new(amount, "BDT").unwrap()
    }

    fn flat() -> Offer {
        Offer {
            kind: ListingKind::Apartment,
            transaction: Transaction::Sale,
            price: bdt(12_500_000),
            bedrooms: Some(3),
            area_m2: Some(120.0),
            territory_id: None,
            features: vec!["parking".into(), "lift".into()],
        }
    }

    fn buyer() -> Requirement {
        Requirement {
            transaction: Transaction::Sale,
            kinds: vec![ListingKind::Apartment],
            price_min: Some(bdt(5_000_000)),
            price_max: Some(bdt(15_000_000)),
            min_bedrooms: Some(2),
            min_area_m2: None,
            wanted_territories: vec![],
            features: vec!["lift".into()],
        }
    }

    #[test]
    fn a_listing_that_meets_everything_scores_100_with_its_reasons() {
        let fit = fit(&flat(), &buyer()).unwrap();
        assert_eq!(fit.score, 100);
        assert_eq!(
            fit.reasons,
            vec![
                Reason::Kind { kind: ListingKind::Apartment },
                Reason::PriceInBudget,
                Reason::Bedrooms { has: 3, wanted: 2 },
                Reason::Features { features: vec!["lift".into()] }
            ]
        );
    }

    #[test]
    fn hard_requirements_rule_a_listing_out() {
        let mut rent = buyer();
        rent.transaction = Transaction::Rent;
        let mut house = buyer();
        house.kinds = vec![ListingKind::House];
        let mut garden = buyer();
        garden.features = vec!["garden".into()];
        let mut usd = buyer();
        usd.price_max = Some(Money::new(150_000, "USD").unwrap());
        usd.price_min = None;
        let mut elsewhere = buyer();
        elsewhere.wanted_territories = vec![TerritoryId::new()];
        let mut big = buyer();
        big.min_bedrooms = Some(5);
        for (why, req) in
            [("rent", rent), ("house", house), ("garden", garden), ("usd", usd), ("area", elsewhere), ("5 beds", big)]
        {
            assert_eq!(fit(&flat(), &req), None, "{why}");
        }
    }

    #[test]
    fn a_little_over_budget_or_one_bedroom_short_still_matches_with_a_lower_score() {
        let mut tight = buyer();
        tight.price_max = Some(bdt(12_000_000)); // 4.2 % over
        let over = fit(&flat(), &tight).unwrap();
        assert!(over.reasons.contains(&Reason::PriceOverBudget { percent: 5 }), "{over:?}");
        assert!(over.score < 100 && over.score > 80);
        tight.price_max = Some(bdt(11_000_000)); // 13.6 % over
        assert_eq!(fit(&flat(), &tight), None);

        let mut four = buyer();
        four.min_bedrooms = Some(4);
        let short = fit(&flat(), &four).unwrap();
        assert_eq!(short.score, 80);
        assert_eq!(short.reasons.last(), Some(&Reason::BedroomsShort { has: 3, wanted: 4 }));
    }

    #[test]
    fn a_buyer_in_the_listings_territory_matches() {
        let t = TerritoryId::new();
        let mut offer = flat();
        offer.territory_id = Some(t);
        let mut req = buyer();
        req.wanted_territories = vec![TerritoryId::new(), t];
        assert!(fit(&offer, &req).unwrap().reasons.contains(&Reason::InWantedArea));
    }

    #[test]
    fn best_keeps_the_top_scores_in_order() {
        let picked = best(vec![(10, 'a'), (90, 'b'), (50, 'c'), (70, 'd')], 2);
        assert_eq!(picked, vec![(90, 'b'), (70, 'd')]);
    }

    #[test]
    fn a_requirement_accepts_the_documented_json_shape_and_names_bad_fields() {
        let json = r#"{"transaction": "sale", "kinds": ["apartment"], "price_min": {"amount": 5000000, "currency": "BDT"},
            "price_max": {"amount": 15000000, "currency": "BDT"}, "min_bedrooms": 2}"#;
        let r = serde_json::from_str::<RequirementForPut>(json).unwrap().validate().unwrap();
        assert_eq!(r.kinds, vec![ListingKind::Apartment]);
        assert_eq!(r.price_ceiling(), Some(16_500_000));
        let bad = r#"{"transaction": "swap", "kinds": ["castle"], "price_min": {"amount": 9, "currency": "BDT"},
            "price_max": {"amount": 1, "currency": "BDT"}, "features": ["moat"]}"#;
        let e = serde_json::from_str::<RequirementForPut>(bad).unwrap().validate().unwrap_err();
        for field in ["transaction", "kinds", "price_max", "features"] {
            assert!(e.get(field).is_some(), "{field}: {e:?}");
        }
    }
}
