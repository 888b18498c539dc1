//! Per-field validation errors, produced by the same parsers in the browser form and on the server.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Why one field is invalid. The UI translates the variant; the REST API sends [`FieldError::message`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum FieldError {
    Required,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    TooMany {
        max: usize,
    },
    InvalidEmail,
    InvalidPhone,
    InvalidTimeZone,
    InvalidLocation,
    InvalidCurrency,
    Negative,
    NotAllowed,
    Taken,
    /// A shape (`GeoJSON`) that is not a valid area; the reason says where.
    InvalidShape {
        reason: String,
    },
    /// A value of the wrong kind for its field (text where a number goes).
    MustBe {
        expected: Expected,
    },
    /// A custom value for a field the record type does not have.
    UnknownField,
    /// A field only office staff, managers and admins may change.
    OfficeOnly,
    /// Any other rule, with the sentence that explains it (an upload that is not a photo).
    Invalid {
        reason: String,
    },
}

/// What a field takes, named in a [`FieldError::MustBe`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Expected {
    Text,
    Number,
    /// Money in minor units (poisha, cents).
    WholeMinorUnits,
    Date,
    YesNo,
    ChoiceKey,
    ChoiceKeys,
    Phone,
    Email,
    WebAddress,
    RecordId,
}

impl Expected {
    fn phrase(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "a number",
            Self::WholeMinorUnits => "a whole number of minor units (poisha, cents)",
            Self::Date => "a date as YYYY-MM-DD",
            Self::YesNo => "yes or no",
            Self::ChoiceKey => "a choice key",
            Self::ChoiceKeys => "a list of choice keys",
            Self::Phone => "a phone number",
            Self::Email => "an email address",
            Self::WebAddress => "a web address starting with http:// or https://",
            Self::RecordId => "a record id (a UUID)",
        }
    }
}

impl FieldError {
    /// The English message used in REST error bodies.
    pub fn message(&self) -> String {
        match self {
            Self::Required => "is required".into(),
            Self::TooLong { max } => format!("must be at most {max} characters"),
            Self::TooShort { min } => format!("must be at least {min} characters"),
            Self::TooMany { max } => format!("must have at most {max} entries"),
            Self::InvalidEmail => "must be a valid email address".into(),
            Self::InvalidPhone => "must be a phone number with 6 to 15 digits".into(),
            Self::InvalidTimeZone => "must be an IANA time zone such as Asia/Dhaka".into(),
            Self::InvalidLocation => "latitude must be within ±90 and longitude within ±180".into(),
            Self::InvalidCurrency => "must be a three-letter ISO 4217 code".into(),
            Self::Negative => "must not be negative".into(),
            Self::NotAllowed => "is not an allowed value".into(),
            Self::Taken => "is already in use".into(),
            Self::MustBe { expected } => format!("must be {}", expected.phrase()),
            Self::UnknownField => "is not a field of this record".into(),
            Self::OfficeOnly => "only office staff and managers may change it".into(),
            Self::InvalidShape { reason } | Self::Invalid { reason } => reason.clone(),
        }
    }
}

/// Errors keyed by field name (the JSON name of the field).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub BTreeMap<String, FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, error: FieldError) {
        self.0.entry(field.to_string()).or_insert(error);
    }

    /// Records the error of a parse, returning the value when it parsed.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, FieldError>) -> Option<T> {
        parsed.map_err(|e| self.add(field, e)).ok()
    }

    /// Records every error of a check of several fields, returning its value when none failed.
    pub fn merge<T>(&mut self, checked: Result<T, FieldErrors>) -> Option<T> {
        match checked {
            Ok(value) => Some(value),
            Err(more) => {
                for (field, error) in more.0 {
                    self.add(&field, error);
                }
                None
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.get(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no field failed.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

/// A trimmed, non-empty text of at most `max` characters.
pub fn required_text(value: &str, max: usize) -> Result<String, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        Err(FieldError::Required)
    } else if v.chars().count() > max {
        Err(FieldError::TooLong { max })
    } else {
        Ok(v.to_string())
    }
}

/// A trimmed text of at most `max` characters, or None when blank.
pub fn optional_text(value: &str, max: usize) -> Result<Option<String>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        Ok(None)
    } else {
        required_text(v, max).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_bounds() {
        assert_eq!(required_text("  Rahim  ", 10), Ok("Rahim".into()));
        assert_eq!(required_text("   ", 10), Err(FieldError::Required));
        assert_eq!(required_text("রহিম উদ্দিন", 5), Err(FieldError::TooLong { max: 5 }));
    }

    #[test]
    fn the_first_error_of_a_field_is_kept() {
        let mut errors = FieldErrors::new();
        errors.add("email", FieldError::Required);
        errors.add("email", FieldError::InvalidEmail);
        assert_eq!(errors.get("email"), Some(&FieldError::Required));
        assert!(errors.into_result(|| ()).is_err());
    }
}
