//! The sales pipeline.

pub mod routes;
pub mod store;
