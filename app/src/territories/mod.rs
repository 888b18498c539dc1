pub mod api;
pub mod components;
pub mod map;
pub mod model;

pub use model::*;
