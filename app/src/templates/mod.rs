//! Email templates: office staff write them once with placeholders (`{{contact.first_name}}`)
//! and send them to a contact; the server renders them and refuses unknown placeholders.

pub mod api;
pub mod components;
pub mod model;

pub use model::*;
