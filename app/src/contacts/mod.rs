pub mod api;
pub mod bulk;
pub mod components;
pub mod dedupe;
mod filter;
mod form;
pub mod import;
pub mod model;
pub mod search;
mod timeline;

pub use filter::*;
pub use form::*;
pub use model::*;
pub use timeline::*;
