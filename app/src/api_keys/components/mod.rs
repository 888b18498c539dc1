mod page;

pub use page::ApiKeysPage;
