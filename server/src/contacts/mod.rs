//! Contacts: people and companies, their search index, export and timeline.

pub mod actions;
mod export;
pub mod import;
mod merge;
pub mod privacy;
mod privacy_routes;
pub mod routes;
pub mod store;
mod timeline;
pub mod write;
