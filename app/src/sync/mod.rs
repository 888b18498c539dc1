//! Offline sync: the mutation log a browser pushes and the change feed it pulls
//! (`docs/architecture.md`, "The life of a sync push"). The wire types live in `model`; the rules of a field-level merge in
//! `merge`, shared by the server (which decides) and the browser (which shows the outcome).

pub mod merge;
pub mod model;

pub use merge::{get_path, merge_fields, set_path, take_misfits, Merged, CUSTOM};
pub use model::*;
