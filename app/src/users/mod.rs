pub mod api;
pub mod book;
pub mod components;
pub mod model;

pub use model::*;
