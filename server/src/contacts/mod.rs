//! Contacts: people and companies. This module grows with the CRM-core issue.

pub mod routes;
pub mod store;
