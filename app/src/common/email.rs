use super::FieldError;
use serde::{Deserialize, Serialize};

/// A lower-cased, trimmed email address with one `@`, a local part and a dotted domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(value_type = String))]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let v = raw.trim().to_lowercase();
        if v.is_empty() {
            return Err(FieldError::Required);
        }
        if v.len() > 254 {
            return Err(FieldError::TooLong { max: 254 });
        }
        let (local, domain) = v.split_once('@').ok_or(FieldError::InvalidEmail)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty() && local.len() <= 64 && !local.chars().any(|c| c.is_whitespace() || c == '@');
        if domain_ok && local_ok {
            Ok(Self(v))
        } else {
            Err(FieldError::InvalidEmail)
        }
    }
}

super::newtype::string_newtype!(Email);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_to_lower_case() {
        assert_eq!(Email::parse(" Nadia@Example.COM ").unwrap().as_str(), "nadia@example.com");
    }

    #[test]
    fn malformed_emails_are_rejected() {
        for bad in ["", "nadia", "nadia@", "@example.com", "nadia@example", "na dia@example.com", "a@b..com"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
