//! The server's integration tests, in one binary (one link of the server instead of one per
//! file). Each test gets a fresh database on the engine named by `FIELDWORK_TEST_ENGINE`.

mod api;
mod auth;
mod backup;
mod book;
mod bulk;
mod common;
mod contacts;
mod faults;
mod fields;
mod hostile;
mod import;
mod listings;
mod mail;
mod privacy;
mod reports;
mod rollup;
mod scheduling;
mod scope_walk;
mod seed;
mod store;
mod sync;
mod territories;
mod users;
mod views;
mod write_scope;
