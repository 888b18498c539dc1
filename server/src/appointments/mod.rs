//! Appointments on reps' calendars. This module grows with the scheduling issue.

pub mod routes;
pub mod store;
