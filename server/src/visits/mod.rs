//! Field visits: check-in (time, GPS position and accuracy, distance to the target) and
//! check-out (outcome, notes, the next step).

pub mod actions;
pub mod routes;
pub mod store;
