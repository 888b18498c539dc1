mod list;

pub use list::TasksPage;
