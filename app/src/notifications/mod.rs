//! In-app notifications: what the app tells a user without being asked (a new listing that
//! matches their buyers, …). Email comes on top of these (the notifications issue).

pub mod api;
pub mod components;
pub mod model;

pub use model::*;
