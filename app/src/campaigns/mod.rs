//! Campaigns: an email template sent to a segment of contacts (tag, lifecycle, territory,
//! owner), only to those who agreed to email, throttled, with counts of what happened.

pub mod api;
pub mod components;
pub mod model;

pub use model::*;
