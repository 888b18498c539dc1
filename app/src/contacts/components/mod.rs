mod list;

pub use list::ContactsPage;
