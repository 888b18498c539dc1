//! Real-estate listings: properties for sale or rent, their photos, status history, showings,
//! share links, and matching them with buyers' and tenants' requirements.

pub mod actions;
pub mod matches;
pub mod photo_routes;
pub mod photos;
pub mod requirement_routes;
pub mod routes;
pub mod store;
