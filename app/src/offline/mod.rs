//! Working without a network (`docs/architecture.md`, "The life of a sync push").
//!
//! - `local`: the user's records, the outbox and sync bookkeeping in `IndexedDB`.
//! - `outbox`: a change made in the browser becomes the local record and its mutation, in one
//!   local transaction, before anything says "saved".
//! - `engine`: pushes the outbox and pulls the feed — on start, when the network returns, on
//!   focus, every few minutes and on demand — with backoff; its state drives the status in the
//!   frame.
//! - `components`: the sync status, the update offer, conflicts on a record.
//!
//! The browser build does the work; the server build compiles the same API, which reports
//! that nothing is stored locally there.

pub mod components;
pub mod engine;
pub mod local;
pub mod outbox;
pub mod read;
pub mod shell;

pub use engine::{use_sync, SyncState};
