//! Value types shared by every domain module: ids, validated newtypes, errors on the wire.

mod email;
mod error;
mod geo;
mod id;
mod money;
mod newtype;
mod phone;
mod time_zone;
pub mod validation;

pub use email::Email;
pub use error::{ApiError, ErrorBody, ErrorCode};
pub use geo::GeoPoint;
pub use id::*;
pub use money::{Currency, Money};
pub use phone::Phone;
pub use time_zone::TimeZone;
pub use validation::{FieldError, FieldErrors};

/// A list page: `{"items": [...], "next_cursor": "…"|null}` (keyset pagination).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}
