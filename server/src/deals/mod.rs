//! The sales pipeline.

pub mod actions;
pub mod routes;
pub mod store;
