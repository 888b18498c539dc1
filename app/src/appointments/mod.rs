pub mod api;
pub mod components;
pub mod grid;
pub mod local;
pub mod model;
pub mod route;
pub mod today;

pub use model::*;
