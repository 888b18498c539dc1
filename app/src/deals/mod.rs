pub mod api;
pub mod components;
pub mod model;

pub use model::*;
