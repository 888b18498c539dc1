mod checkout;

pub use checkout::CheckOutForm;
