//! A user's own layouts of the desk's lists (`/api/v1/me/views/{list}`): which columns, in what
//! order, how wide, and the sort a list opens with. See `fieldwork_app::views`.

pub mod routes;
mod store;
