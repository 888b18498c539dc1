mod bulk;
mod duplicates;
mod form;
mod import;
mod lead;
mod list;
mod page;
mod privacy;
mod quick;
mod table;
mod timeline;

pub use duplicates::DuplicatesPage;
pub use form::{EditContactPage, NewContactPage};
pub use import::ImportPage;
pub use lead::{NewLeadButton, NewLeadPanel};
pub use list::{lifecycle_label, ContactsPage};
pub use page::ContactPage;
