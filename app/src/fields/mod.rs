//! Custom fields: the fields a business adds to contacts, deals, listings, appointments and
//! visits, the values records hold for them, and the filters lists apply to them.

pub mod api;
pub mod components;
pub mod filter;
pub mod model;
pub mod values;

pub use model::*;
pub use values::{apply, check_value, display, fill_gaps, CustomValues, Writer};
