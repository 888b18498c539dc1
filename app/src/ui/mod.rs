//! Small building blocks every page uses: loading, empty and error states, icons, field errors.

mod icons;
mod roles;
mod states;

pub use icons::Icon;
pub use roles::role_label;
pub use states::{field_error_text, EmptyState, ErrorState, Loading};
