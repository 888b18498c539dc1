use super::FieldError;
use serde::{Deserialize, Serialize};

/// Country calling code assumed for numbers written in national form (leading `0`).
/// Fieldwork's first agencies are in Bangladesh; a per-organisation setting can replace it.
pub const DEFAULT_COUNTRY_CODE: &str = "880";

/// A phone number in E.164 form (`+8801711234567`).
///
/// Normalisation is deliberately simple (strip punctuation, `00` → `+`, national `0` → default
/// country code) rather than the full libphonenumber metadata, which would add hundreds of
/// kilobytes to the phone's wasm bundle for little gain in a field CRM.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(value_type = String))]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(FieldError::Required);
        }
        let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
        if !trimmed.chars().all(allowed) || trimmed.chars().skip(1).any(|c| c == '+') {
            return Err(FieldError::InvalidPhone);
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let international = if trimmed.starts_with('+') {
            digits
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.to_string()
        } else if let Some(rest) = digits.strip_prefix('0') {
            format!("{DEFAULT_COUNTRY_CODE}{rest}")
        } else {
            digits
        };
        if (6..=15).contains(&international.len()) && !international.starts_with('0') {
            Ok(Self(format!("+{international}")))
        } else {
            Err(FieldError::InvalidPhone)
        }
    }
}

super::newtype::string_newtype!(Phone);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_and_international_forms_normalise_to_e164() {
        for raw in ["01711-234567", "+880 1711 234567", "00880 (1711) 234 567", "8801711234567"] {
            assert_eq!(Phone::parse(raw).unwrap().as_str(), "+8801711234567", "{raw}");
        }
        assert_eq!(Phone::parse("+44 20 7946 0958").unwrap().as_str(), "+442079460958");
    }

    #[test]
    fn letters_short_numbers_and_stray_plus_signs_are_rejected() {
        for bad in ["", "call me", "12345", "+1+2345678", "+1234567890123456"] {
            assert!(Phone::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
