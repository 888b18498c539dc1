//! Authentication: who is asking. Sessions (`HttpOnly` cookie) for browsers, bearer API keys
//! for integrations; both resolve to a [`Ctx`] that every handler and store call receives.

mod ctx;
pub mod password;
pub mod routes;
pub mod sessions;
pub mod throttle;
pub mod token;

pub use ctx::{resolve as ctx_resolve, AuthVia, Ctx};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "fieldwork_session";
