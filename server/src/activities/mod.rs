//! The communication log: calls, emails, messages and notes on a contact.

pub mod actions;
pub mod routes;
pub mod store;
