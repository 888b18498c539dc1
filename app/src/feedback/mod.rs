//! Customer feedback: CSAT and NPS through a one-time survey link sent after a visit.

pub mod api;
pub mod components;
pub mod model;

pub use model::*;
