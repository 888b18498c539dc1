//! Listings: properties for sale or rent. This module grows with the real-estate issue.

pub mod routes;
pub mod store;
