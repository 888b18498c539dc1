//! Custom fields on screen: admins' *Settings → Fields*, and the inputs and facts every record
//! form and page show for them.

mod filter;
mod inputs;
mod settings;

pub use filter::CustomFilter;
pub use inputs::{language, mistakes, CustomFacts, CustomInputs};
pub use settings::FieldsPage;
