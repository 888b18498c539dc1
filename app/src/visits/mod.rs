pub mod api;
pub mod components;
pub mod geolocation;
pub mod model;

pub use model::*;
