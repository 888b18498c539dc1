mod form;
mod gallery;
mod labels;
mod list;
mod map;
mod page;
mod picker;
mod requirements;
mod share;

pub use form::{EditListingPage, NewListingPage};
pub use labels::{kind_label, status_label};
pub use list::ListingsPage;
pub use page::ListingPage;
pub use requirements::BuyerRequirements;
pub use share::SharedListingPage;
