mod checkout;

pub use checkout::{reaction_label, CheckOutForm};
