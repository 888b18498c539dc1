//! The territory map page and its parts.

mod canvas;
mod forms;
mod page;
mod panel;

pub use page::TerritoriesPage;
