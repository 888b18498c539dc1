//! Small building blocks every page uses: loading, empty and error states, icons, field errors.

mod browser;
mod confirm;
mod icons;
mod roles;
mod states;

pub use browser::{browser_action, media_matches, pause};
pub use confirm::{confirm, prompt};
pub use icons::Icon;
pub use roles::role_label;
pub use states::{error_text, field_error_text, mounted, ClientOnly, EmptyState, ErrorState, Loading};
