mod board;
mod form;

pub use board::{stage_label, PipelinePage};
pub use form::DealEditor;
