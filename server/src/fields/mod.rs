//! Custom fields: definitions (admins keep them), the checks every record's action runs on
//! its `custom` values, and the filter index lists read.

pub mod actions;
pub(crate) mod filter;
pub mod routes;
pub(crate) mod store;

use fieldwork_app::fields::CustomValues;

/// A record's custom values as its `custom` column holds them.
pub(crate) fn json(values: &CustomValues) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "{}".into())
}
