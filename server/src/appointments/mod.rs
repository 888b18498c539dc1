//! Appointments on reps' calendars: scheduling, recurring series, the agenda, Today, and
//! iCalendar downloads and feeds.

pub mod actions;
pub mod day;
pub mod feed;
pub mod ics;
pub mod recurrence;
pub mod routes;
pub mod store;

pub use day::local_day;
