//! Follow-ups: due today, overdue, done.

pub mod routes;
pub mod store;
