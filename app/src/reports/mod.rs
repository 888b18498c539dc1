//! Dashboards and reports: each role's daily numbers, team and territory reports, their charts
//! and exports. The figures are computed by the server (one query function per report); here
//! are their shapes, formulas, definitions and chart geometry.

pub mod api;
pub mod chart;
pub mod components;
pub mod labels;
pub mod metrics;
mod model;
pub mod period;
pub mod table;

pub use labels::ColumnKey;
pub use model::*;
pub use period::{Period, Preset};
pub use table::{Cell, Column, Row, Table};
