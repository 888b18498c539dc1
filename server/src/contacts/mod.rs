//! Contacts: people and companies, their search index, export and timeline.

pub mod actions;
pub mod bulk;
mod bulk_store;
mod export;
pub mod import;
mod merge;
pub mod privacy;
mod privacy_routes;
pub mod routes;
pub mod store;
mod timeline;
pub mod write;
