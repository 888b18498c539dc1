//! Dashboards and reports. `frame.rs` decides what a request may count (period in the reader's
//! zone, reps, scope, filters); `store/` counts in SQL (a file per family of figures);
//! `build.rs` turns counts into the one table each report is, shared by the dashboard, the
//! report page and the exports.

pub mod build;
pub mod export;
pub mod frame;
pub mod ranged;
pub mod rep;
pub mod rollup;
pub mod routes;
pub mod store;
