//! Appointments on reps' calendars. This module grows with the scheduling issue.

pub mod day;
pub mod routes;
pub mod store;

pub use day::local_day;
