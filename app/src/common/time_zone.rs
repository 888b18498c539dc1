use super::FieldError;
use serde::{Deserialize, Serialize};

/// An IANA time zone name (`Asia/Dhaka`).
///
/// On the server the name is checked against the full tz database (chrono-tz). The browser build
/// checks the shape only, to keep the tz database out of the phone's wasm; the server's answer
/// is authoritative and the form shows its field error.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(value_type = String, example = "Asia/Dhaka"))]
pub struct TimeZone(String);

impl TimeZone {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let v = raw.trim();
        if v.is_empty() {
            return Err(FieldError::Required);
        }
        #[cfg(feature = "ssr")]
        let known = v.parse::<chrono_tz::Tz>().is_ok();
        #[cfg(not(feature = "ssr"))]
        let known =
            v == "UTC" || (v.contains('/') && v.chars().all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c)));
        if known {
            Ok(Self(v.to_string()))
        } else {
            Err(FieldError::InvalidTimeZone)
        }
    }
}

impl Default for TimeZone {
    fn default() -> Self {
        Self("Asia/Dhaka".into())
    }
}

super::newtype::string_newtype!(TimeZone);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_names_parse_and_nonsense_does_not() {
        assert!(TimeZone::parse("Asia/Dhaka").is_ok());
        assert!(TimeZone::parse("Europe/London").is_ok());
        assert_eq!(TimeZone::parse(""), Err(FieldError::Required));
        assert_eq!(TimeZone::parse("not a zone"), Err(FieldError::InvalidTimeZone));
    }
}
