mod form;
mod list;
mod page;
mod quick;
mod timeline;

pub use form::{EditContactPage, NewContactPage};
pub use list::{lifecycle_label, ContactsPage};
pub use page::ContactPage;
