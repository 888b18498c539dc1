pub mod api;
pub mod components;
pub mod form;
pub mod matching;
pub mod model;

pub use form::*;
pub use matching::*;
pub use model::*;
