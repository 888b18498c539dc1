use super::FieldError;
use serde::{Deserialize, Serialize};

/// An ISO 4217 currency code: three upper-case ASCII letters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(value_type = String, example = "BDT"))]
pub struct Currency(String);

impl Currency {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let v = raw.trim().to_ascii_uppercase();
        if v.len() == 3 && v.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(Self(v))
        } else {
            Err(FieldError::InvalidCurrency)
        }
    }
}

/// Money as an integer of minor units (poisha, cents) and its currency: never a float.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Money {
    pub amount: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: i64, currency: &str) -> Result<Self, FieldError> {
        if amount < 0 {
            return Err(FieldError::Negative);
        }
        Ok(Self { amount, currency: Currency::parse(currency)? })
    }

    /// Whole units, for display (`12500000` BDT minor units → 125000).
    pub fn major_units(&self) -> i64 {
        self.amount / 100
    }
}

super::newtype::string_newtype!(Currency);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_rejects_negative_amounts_and_bad_currencies() {
        assert_eq!(Money::new(-1, "BDT"), Err(FieldError::Negative));
        assert_eq!(Money::new(1, "taka"), Err(FieldError::InvalidCurrency));
        assert_eq!(Money::new(12_500_000, "bdt").unwrap().currency.as_str(), "BDT");
    }
}
