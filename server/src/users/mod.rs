//! Users: the people who sign in. Admins manage them; everyone manages their own profile.

pub mod actions;
pub mod book;
pub mod routes;
pub mod store;
