//! A user's own layout of a list on the desk: which columns, in what order, how wide, and the
//! sort it opens with (`/api/v1/me/views/{list}`). Kept per user on the server, so the same
//! layout follows them from one desk to another.

pub mod api;
mod model;

pub use model::*;
