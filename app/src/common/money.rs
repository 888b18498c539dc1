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

/// Money as an integer of minor units (poisha, cents) and its currency: never a float, never
/// negative. The fields are private: [`Money::new`] is the only way in, JSON included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "MoneyWire")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Money {
    /// Minor units (poisha, cents); zero or more.
    amount: i64,
    currency: Currency,
}

/// Money as JSON spells it, before [`Money::new`] has checked it.
#[derive(Deserialize)]
struct MoneyWire {
    amount: i64,
    currency: String,
}

impl TryFrom<MoneyWire> for Money {
    type Error = String;

    fn try_from(raw: MoneyWire) -> Result<Self, String> {
        Money::new(raw.amount, &raw.currency).map_err(|e| match e {
            FieldError::Negative => format!("amount {}", e.message()),
            _ => format!("currency {}", e.message()),
        })
    }
}

impl Money {
    pub fn new(amount: i64, currency: &str) -> Result<Self, FieldError> {
        if amount < 0 {
            return Err(FieldError::Negative);
        }
        Ok(Self { amount, currency: Currency::parse(currency)? })
    }

    /// Minor units (poisha, cents).
    pub fn amount(&self) -> i64 {
        self.amount
    }

    pub fn currency(&self) -> &Currency {
        &self.currency
    }

    /// Whole units, for display (`12500000` BDT minor units → 125000).
    pub fn major_units(&self) -> i64 {
        self.amount / 100
    }
}

super::newtype::string_newtype!(Currency);

/// Whole units as a person types them ("1,25,00,000" or "12500000") in minor units; -1 (which
/// every amount check refuses) for what is not a whole number.
pub fn minor_units(typed: &str) -> i64 {
    typed.trim().replace([',', ' ', '_'], "").parse::<i64>().map_or(-1, |v| v.saturating_mul(100))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_rejects_negative_amounts_and_bad_currencies() {
        assert_eq!(Money::new(-1, "BDT"), Err(FieldError::Negative));
        assert_eq!(Money::new(1, "taka"), Err(FieldError::InvalidCurrency));
        assert_eq!(Money::new(12_500_000, "bdt").unwrap().currency().as_str(), "BDT");
    }

    #[test]
    fn json_cannot_make_money_that_new_would_refuse() {
        let parse = |json: &str| serde_json::from_str::<Money>(json);
        assert!(parse(r#"{"amount":-5,"currency":"BDT"}"#).is_err());
        assert!(parse(r#"{"amount":5,"currency":"taka"}"#).is_err());
        let m = parse(r#"{"amount":500,"currency":"bdt"}"#).unwrap();
        assert_eq!((m.amount(), m.currency().as_str()), (500, "BDT"));
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"amount":500,"currency":"BDT"}"#);
    }
}
