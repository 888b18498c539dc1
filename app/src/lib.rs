//! Fieldwork's app, shared by the server (feature `ssr`) and the browser (feature `hydrate`).
//!
//! - `common` and each domain folder's `model.rs`: plain Rust types, validation and state
//!   machines; no I/O, compiled and tested natively for both targets.
//! - `<domain>/api.rs`: the typed client calls to the REST API.
//! - `<domain>/components/`: thin Leptos components that render and call the above.
//! - `shell`: the document, routes, layout and navigation.

#![forbid(unsafe_code)]
// Leptos view types nest deeply; computing their layout needs more than the default 128.
#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod activities;
pub mod api_keys;
pub mod appointments;
pub mod campaigns;
pub mod client;
pub mod common;
pub mod contacts;
pub mod deals;
pub mod feedback;
pub mod forms;
pub mod listings;
pub mod locale;
pub mod notifications;
pub mod offline;
pub mod reports;
pub mod session;
mod shell;
pub mod sync;
pub mod tasks;
pub mod templates;
pub mod territories;
mod ui;
pub mod users;
pub mod visits;

pub use shell::{shell, App};
