//! Follow-ups: due today, overdue, done.

pub mod actions;
pub mod routes;
pub mod store;
