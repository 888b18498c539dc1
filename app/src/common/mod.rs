//! Value types shared by every domain module: ids, validated newtypes, errors on the wire.

mod email;
mod error;
mod geo;
mod id;
pub mod money;
mod newtype;
mod phone;
mod time_zone;
pub mod validation;

/// Distinguishes `Some(None)` (set to null) from `None` (absent) in a PATCH body; use with
/// `#[serde(default, with = "crate::common::double_option")]`.
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(v: &Option<Option<T>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

pub use email::Email;
pub use error::{ApiError, ErrorBody, ErrorCode};
pub use geo::GeoPoint;
pub use id::*;
pub use money::{Currency, Money};
pub use phone::Phone;
pub use time_zone::TimeZone;
pub use validation::{Expected, FieldError, FieldErrors};

/// A list page: `{"items": [...], "next_cursor": "…"|null}` (keyset pagination), with
/// `"total"` when the list was asked to count its matches (a first page only).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}
