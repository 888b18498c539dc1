//! The document, the routes, and the layout around every signed-in page.

mod document;
mod layout;
mod nav;

pub use document::{shell, App};
