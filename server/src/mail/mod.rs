//! Email: every email the system sends is first a row of the outbox, written in the same
//! transaction as the change that caused it; the background worker ([`worker`]) sends due rows
//! through the configured [`transport`] with retries and backoff, and records every attempt.
//!
//! Never twice: a row's idempotency key is unique (a second enqueue of the same notification is
//! a no-op), and a row is claimed in its own committed transaction before it is sent. A worker
//! that dies after sending but before recording leaves the row claimed; the next worker asks
//! the transport whether that message was already delivered (the file mailer knows: the file
//! is named after the row) and records it without sending again. SMTP cannot be asked, so a
//! message interrupted mid-send there is not sent again (at most once) and is marked failed
//! for a person to look at.

pub mod outbox;
pub mod transport;
pub mod worker;

pub use outbox::{enqueue, Mail};
