//! In-app notifications, written by whatever has news for a user and read from `/me/notifications`.

pub mod routes;
pub mod store;
