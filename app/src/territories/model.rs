//! Territories: named areas (`GeoJSON` Polygon/MultiPolygon, WGS84) that reps are assigned to.

use crate::common::{FieldError, TerritoryId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Territory {
    pub id: TerritoryId,
    pub name: String,
    /// `#rrggbb`.
    pub colour: String,
    pub parent_id: Option<TerritoryId>,
    /// A `GeoJSON` geometry object (Polygon or `MultiPolygon`).
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub geometry: serde_json::Value,
    pub version: i64,
}

/// A rep's assignment to a territory; history is kept through the dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TerritoryAssignment {
    pub territory_id: TerritoryId,
    pub user_id: UserId,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: Option<chrono::NaiveDate>,
}

impl TerritoryAssignment {
    pub fn is_current(&self, today: chrono::NaiveDate) -> bool {
        self.starts_on <= today && self.ends_on.is_none_or(|end| today < end)
    }
}

/// Colours a new territory is given in turn when none is chosen.
pub const PALETTE: [&str; 8] = ["#2563eb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2", "#65a30d", "#db2777"];

/// `POST /api/v1/territories`: a new territory. The geometry is checked by the server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TerritoryForCreate {
    pub name: String,
    /// `#rrggbb`; default: the next colour of [`PALETTE`].
    #[serde(default)]
    pub colour: Option<String>,
    /// The region it lies in.
    #[serde(default)]
    pub parent_id: Option<TerritoryId>,
    /// A `GeoJSON` Polygon or `MultiPolygon` (WGS84, holes allowed).
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub geometry: serde_json::Value,
}

/// `PATCH /api/v1/territories/{id}`: absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TerritoryForUpdate {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub colour: Option<String>,
    /// `null` takes it out of its region.
    #[serde(default, with = "crate::common::double_option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub parent_id: Option<Option<TerritoryId>>,
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub geometry: Option<serde_json::Value>,
    /// Refuse the change when the territory changed since this version (409).
    #[serde(default)]
    pub base_version: Option<i64>,
}

/// A colour as stored: `#rrggbb`, lower-case.
pub fn parse_colour(raw: &str) -> Result<String, FieldError> {
    let c = raw.trim().to_lowercase();
    let hex = c.strip_prefix('#').unwrap_or("");
    if hex.len() == 6 && hex.chars().all(|ch| ch.is_ascii_hexdigit()) {
        Ok(c)
    } else {
        Err(FieldError::NotAllowed)
    }
}

/// A territory's name: required, at most 100 characters.
pub fn parse_name(raw: &str) -> Result<String, FieldError> {
    crate::common::validation::required_text(raw, 100)
}

/// `POST /api/v1/territories/import`: a `GeoJSON` `FeatureCollection`, one territory per feature.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TerritoryImport {
    /// The feature property that names each territory.
    pub name_property: String,
    /// The `FeatureCollection`.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub collection: serde_json::Value,
    /// The region every imported territory lies in.
    #[serde(default)]
    pub parent_id: Option<TerritoryId>,
}

/// What an import created and what it refused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TerritoryImportResult {
    pub created: Vec<Territory>,
    pub rejected: Vec<RejectedFeature>,
}

/// A feature an import refused, and why (the reason says where in the geometry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RejectedFeature {
    /// Its position in the collection, from 0.
    pub index: usize,
    pub name: Option<String>,
    pub reason: String,
}

/// One rep's assignment as sent to `PUT /api/v1/territories/{id}/assignees`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AssigneeInput {
    pub user_id: UserId,
    /// Default: today.
    #[serde(default)]
    pub starts_on: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub ends_on: Option<chrono::NaiveDate>,
}

/// `PUT /api/v1/territories/{id}/assignees`: who covers the territory from now on. Current
/// assignments of reps not listed end today; history is kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AssigneesInput {
    pub assignees: Vec<AssigneeInput>,
}

/// An assignment with the rep's name, for lists and stats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Assignee {
    pub user_id: UserId,
    pub name: String,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: Option<chrono::NaiveDate>,
}

/// `GET /api/v1/territories/{id}/stats`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TerritoryStats {
    pub contacts: i64,
    pub listings: i64,
    pub open_deals: i64,
    pub visits_30_days: i64,
    /// Current assignments.
    pub reps: Vec<Assignee>,
}

/// How a territory's workload compares with its neighbours' (see [`rebalance`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Load {
    /// More than [`OVER`] times the mean work per rep: a candidate to split or give a rep.
    Over,
    /// Less than [`UNDER`] times the mean: room for more.
    Under,
    Even,
    /// Has contacts or visits but no rep assigned.
    Unstaffed,
}

/// Above this share of the mean work per rep a territory is over-loaded.
pub const OVER: f64 = 1.25;
/// Below this share of the mean it is under-loaded.
pub const UNDER: f64 = 0.75;

/// One territory's workload (`GET /api/v1/territories/workload`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TerritoryLoad {
    pub territory_id: TerritoryId,
    pub name: String,
    pub contacts: i64,
    pub visits_30_days: i64,
    /// Reps assigned today.
    pub reps: i64,
    pub contacts_per_rep: f64,
    pub visits_per_rep: f64,
    /// Work per rep against the mean: contacts and visits weigh the same (1.0 = the mean).
    pub score: f64,
    pub load: Load,
}

/// The territories of a region (or all) with their workload and the means they are judged by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Workload {
    pub region: Option<TerritoryId>,
    pub mean_contacts_per_rep: f64,
    pub mean_visits_per_rep: f64,
    /// Most loaded first.
    pub territories: Vec<TerritoryLoad>,
}

/// Judges each territory's work per rep against the mean of the staffed ones: contacts per rep
/// and visits (last 30 days) per rep, each divided by its mean and averaged into a score.
/// Over [`OVER`] is over-loaded, under [`UNDER`] under-loaded; a territory with work and no rep
/// is unstaffed. Sorted most loaded first (unstaffed ones first of all).
pub fn rebalance(region: Option<TerritoryId>, mut territories: Vec<TerritoryLoad>) -> Workload {
    let per_rep = |n: i64, reps: i64| if reps > 0 { n as f64 / reps as f64 } else { 0.0 };
    for t in &mut territories {
        t.contacts_per_rep = per_rep(t.contacts, t.reps);
        t.visits_per_rep = per_rep(t.visits_30_days, t.reps);
    }
    let staffed: Vec<&TerritoryLoad> = territories.iter().filter(|t| t.reps > 0).collect();
    let mean = |f: fn(&TerritoryLoad) -> f64| {
        if staffed.is_empty() {
            0.0
        } else {
            staffed.iter().map(|t| f(t)).sum::<f64>() / staffed.len() as f64
        }
    };
    let (mean_contacts, mean_visits) = (mean(|t| t.contacts_per_rep), mean(|t| t.visits_per_rep));
    for t in &mut territories {
        let parts: Vec<f64> = [(t.contacts_per_rep, mean_contacts), (t.visits_per_rep, mean_visits)]
            .into_iter()
            .filter(|(_, m)| *m > 0.0)
            .map(|(v, m)| v / m)
            .collect();
        t.score = if parts.is_empty() { 1.0 } else { parts.iter().sum::<f64>() / parts.len() as f64 };
        t.load = if t.reps == 0 {
            if t.contacts + t.visits_30_days > 0 {
                Load::Unstaffed
            } else {
                Load::Even
            }
        } else if t.score > OVER {
            Load::Over
        } else if t.score < UNDER {
            Load::Under
        } else {
            Load::Even
        };
    }
    territories.sort_by(|a, b| {
        (b.load == Load::Unstaffed).cmp(&(a.load == Load::Unstaffed)).then(b.score.total_cmp(&a.score))
    });
    Workload { region, mean_contacts_per_rep: mean_contacts, mean_visits_per_rep: mean_visits, territories }
}

/// A rep a territory can be given to (`GET /api/v1/territories/reps`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RepOption {
    pub id: UserId,
    pub name: String,
}

/// A contact or listing on the map (`GET /api/v1/map/points`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MapPoint {
    /// A contact's or a listing's id (as the list it is in says).
    pub id: String,
    /// The contact's name or the listing's title.
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub territory_id: Option<TerritoryId>,
}

/// The contacts and listings in the caller's scope inside a box, at most [`MAX_MAP_POINTS`]
/// of each; `truncated` says some were left out (zoom in to see them all).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MapPoints {
    pub contacts: Vec<MapPoint>,
    pub listings: Vec<MapPoint>,
    pub truncated: bool,
}

/// The most contacts (and, apart, listings) one map request answers with.
pub const MAX_MAP_POINTS: i64 = 5000;

/// What the map page needs to know of the server's configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MapSettings {
    /// A `{z}/{x}/{y}` tile URL template (`FIELDWORK_TILE_URL`); none draws without tiles.
    pub tile_url: Option<String>,
    /// The attribution the tile provider asks for (`FIELDWORK_TILE_ATTRIBUTION`).
    pub tile_attribution: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn load(name: &str, contacts: i64, visits: i64, reps: i64) -> TerritoryLoad {
        TerritoryLoad {
            territory_id: TerritoryId::new(),
            name: name.into(),
            contacts,
            visits_30_days: visits,
            reps,
            contacts_per_rep: 0.0,
            visits_per_rep: 0.0,
            score: 0.0,
            load: Load::Even,
        }
    }

    #[test]
    fn rebalancing_compares_work_per_rep_with_the_mean() {
        let w = rebalance(
            None,
            vec![
                load("Gulshan", 300, 30, 1), // 300 contacts, 30 visits per rep
                load("Banani", 200, 20, 2),  // 100 and 10 per rep
                load("Uttara", 200, 20, 1),  // 200 and 20 per rep
                load("Mirpur", 50, 0, 0),    // nobody assigned
                load("Empty", 0, 0, 0),
            ],
        );
        assert_eq!(w.mean_contacts_per_rep, 200.0);
        assert_eq!(w.mean_visits_per_rep, 20.0);
        let by_name = |n: &str| w.territories.iter().find(|t| t.name == n).unwrap();
        assert_eq!(by_name("Gulshan").load, Load::Over);
        assert_eq!(by_name("Gulshan").score, 1.5);
        assert_eq!(by_name("Banani").load, Load::Under);
        assert_eq!(by_name("Uttara").load, Load::Even);
        assert_eq!(by_name("Mirpur").load, Load::Unstaffed);
        assert_eq!(by_name("Empty").load, Load::Even);
        let order: Vec<&str> = w.territories.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(&order[..2], ["Mirpur", "Gulshan"], "unstaffed first, then the most loaded");
    }

    #[test]
    fn colours_are_hex_and_names_required() {
        assert_eq!(parse_colour(" #A1B2C3 "), Ok("#a1b2c3".into()));
        assert_eq!(parse_colour("red"), Err(FieldError::NotAllowed));
        assert_eq!(parse_colour("#12345"), Err(FieldError::NotAllowed));
        assert_eq!(parse_name("  "), Err(FieldError::Required));
        assert!(PALETTE.iter().all(|c| parse_colour(c).is_ok()));
    }

    #[test]
    fn an_assignment_is_current_from_its_start_until_before_its_end() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
        let a = TerritoryAssignment {
            territory_id: TerritoryId::new(),
            user_id: UserId::new(),
            starts_on: d(10),
            ends_on: Some(d(20)),
        };
        assert!(!a.is_current(d(9)));
        assert!(a.is_current(d(10)));
        assert!(a.is_current(d(19)));
        assert!(!a.is_current(d(20)));
    }
}
