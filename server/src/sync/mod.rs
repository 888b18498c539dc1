//! Offline sync (`docs/architecture.md`, "The life of a sync push"): devices push the mutations
//! they made offline and pull the changes of their user's scope.
//!
//! - `push`: applies a device's mutations exactly once, in order, in one transaction.
//! - `feed`: the change feed a device pulls, in version order, scoped.
//! - `conflicts`: the losing side of a field-level merge, kept for the user.
//! - `entity`: [`Syncable`], which each synced entity implements in its own domain.

pub mod conflicts;
pub mod entity;
pub mod feed;
pub mod push;
mod routes;

pub use routes::router;
