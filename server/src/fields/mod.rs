//! Custom fields: definitions (admins keep them), the checks every record's action runs on
//! its `custom` values, and the filter index lists read.

pub mod actions;
pub(crate) mod filter;
pub mod routes;
pub(crate) mod store;
