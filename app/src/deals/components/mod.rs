mod board;

pub use board::{stage_label, PipelinePage};
