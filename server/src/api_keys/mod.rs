//! API keys: bearer secrets for integrations, acting as the user who created them.

pub mod actions;
pub mod routes;
pub mod store;
