//! Territories: named areas (GeoJSON Polygon/MultiPolygon, WGS84) that reps are assigned to.

use crate::common::{TerritoryId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Territory {
    pub id: TerritoryId,
    pub name: String,
    /// `#rrggbb`.
    pub colour: String,
    pub parent_id: Option<TerritoryId>,
    /// A GeoJSON geometry object (Polygon or MultiPolygon).
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

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
