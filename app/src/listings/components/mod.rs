mod list;

pub use list::ListingsPage;
