//! Lead-capture forms: an admin builds a form for the company's website; a visitor's
//! submission creates or updates a lead.

pub mod api;
pub mod components;
pub mod model;

pub use model::*;
