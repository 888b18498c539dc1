//! Filters on custom fields, as a list's query string writes them:
//! `custom=area=gulshan|banani;budget~1000000..5000000;nid_verified=`
//!
//! - `key=a|b` — the value is one of `a`, `b` (for several choices: holds any of them);
//! - `key~min..max` — a number, amount (minor units) or date in the range; either end may be left out;
//! - `key=` — the field is empty.

use super::{FieldDef, FieldKind};
use crate::common::{FieldError, FieldErrors};
use serde_json::Value;

/// The most conditions one list asks for.
pub const MAX_CONDITIONS: usize = 10;

#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// Any of these (lower-case, as the index holds text).
    OneOf(Vec<String>),
    /// Numbers (money in minor units) between the two ends, inclusive.
    Between(Option<f64>, Option<f64>),
    /// Dates (`YYYY-MM-DD`) between the two ends, inclusive.
    DatesBetween(Option<String>, Option<String>),
    Empty,
}

/// One checked condition on one field.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub field: FieldDef,
    pub test: Test,
    /// Many records pass it: the server probes each record in the list's order rather than
    /// gathering the matches first (it decides; false as parsed).
    pub common: bool,
}

/// Parses the `custom` query value against the record type's definitions; errors go on
/// `custom` and name the condition.
pub fn parse(raw: &str, defs: &[FieldDef]) -> Result<Vec<Condition>, FieldErrors> {
    let mut conditions = Vec::new();
    let mut e = FieldErrors::new();
    let parts: Vec<&str> = raw.split(';').map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.len() > MAX_CONDITIONS {
        e.add("custom", FieldError::TooMany { max: MAX_CONDITIONS });
    }
    for part in parts {
        match condition(part, defs) {
            Ok(c) => conditions.push(c),
            Err(reason) => e.add("custom", FieldError::Invalid { reason }),
        }
    }
    e.into_result(|| conditions)
}

/// The query value for these `(key, test)` pairs (what a list page sends).
pub fn to_query(conditions: &[(String, Test)]) -> String {
    let write = |(key, test): &(String, Test)| match test {
        Test::OneOf(values) => format!("{key}={}", values.join("|")),
        Test::Between(min, max) => {
            format!(
                "{key}~{}..{}",
                min.map(|n| n.to_string()).unwrap_or_default(),
                max.map(|n| n.to_string()).unwrap_or_default()
            )
        }
        Test::DatesBetween(min, max) => {
            format!("{key}~{}..{}", min.clone().unwrap_or_default(), max.clone().unwrap_or_default())
        }
        Test::Empty => format!("{key}="),
    };
    conditions.iter().map(write).collect::<Vec<_>>().join(";")
}

fn condition(part: &str, defs: &[FieldDef]) -> Result<Condition, String> {
    let (key, ranged, rest) = match (part.find('='), part.find('~')) {
        (Some(eq), tilde) if tilde.is_none_or(|t| eq < t) => (&part[..eq], false, &part[eq + 1..]),
        (_, Some(t)) => (&part[..t], true, &part[t + 1..]),
        _ => return Err(format!("{part:?}: write key=value, key=a|b, key~min..max or key=")),
    };
    let key = key.trim();
    let field = defs.iter().find(|d| d.key == key).ok_or_else(|| format!("{key:?} is not a field of these records"))?;
    let rest = rest.trim();
    let test = if ranged {
        let (min, max) = rest.split_once("..").ok_or_else(|| format!("{key}: a range is min..max"))?;
        let (min, max) = (min.trim(), max.trim());
        match field.kind {
            FieldKind::Number | FieldKind::Money => Test::Between(end(key, min)?, end(key, max)?),
            FieldKind::Date => Test::DatesBetween(date(key, min)?, date(key, max)?),
            _ => return Err(format!("{key}: only numbers, amounts and dates filter by a range")),
        }
    } else if rest.is_empty() {
        Test::Empty
    } else {
        if field.kind == FieldKind::LongText {
            return Err(format!("{key}: long text is found by search, not a filter"));
        }
        let values: Vec<String> = rest.split('|').map(|v| v.trim().to_lowercase()).filter(|v| !v.is_empty()).collect();
        if field.kind.has_choices() {
            if let Some(bad) = values.iter().find(|v| field.choice(v).is_none()) {
                return Err(format!("{key}: {bad:?} is not one of its choices"));
            }
        }
        if field.kind.is_ranged() {
            // An equal number or date is the range from it to itself.
            let one = values.first().cloned().unwrap_or_default();
            return Ok(Condition {
                common: false,
                test: if field.kind == FieldKind::Date {
                    Test::DatesBetween(date(key, &one)?, date(key, &one)?)
                } else {
                    Test::Between(end(key, &one)?, end(key, &one)?)
                },
                field: field.clone(),
            });
        }
        if field.kind == FieldKind::YesNo {
            let yes_no = |v: &String| match super::check_value(field, &Value::String(v.clone()), None) {
                Ok(Value::Bool(b)) => Ok(b.to_string()),
                _ => Err(format!("{key}: {v:?} is not yes or no")),
            };
            return Ok(Condition {
                test: Test::OneOf(values.iter().map(yes_no).collect::<Result<_, _>>()?),
                field: field.clone(),
                common: false,
            });
        }
        Test::OneOf(values)
    };
    Ok(Condition { field: field.clone(), test, common: false })
}

fn end(key: &str, raw: &str) -> Result<Option<f64>, String> {
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<f64>().map(Some).map_err(|_| format!("{key}: {raw:?} is not a number"))
}

fn date(key: &str, raw: &str) -> Result<Option<String>, String> {
    if raw.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| format!("{key}: {raw:?} is not a date (YYYY-MM-DD)"))?;
    Ok(Some(raw.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::Choice;
    use crate::fields::{FieldDefInput, Label};

    fn defs() -> Vec<FieldDef> {
        let def = |key: &str, kind: &str, choices: Vec<Choice>| {
            let n = FieldDefInput {
                record_type: "contact".into(),
                key: key.into(),
                label: Label { en: key.into(), bn: None },
                kind: kind.into(),
                choices,
                ..Default::default()
            }
            .validate()
            .unwrap();
            n.defined(crate::common::FieldId::new(), 0)
        };
        let choice = |k: &str| Choice { key: k.into(), label: Label { en: k.into(), bn: None }, retired: false };
        vec![
            def("area", "choices", vec![choice("gulshan"), choice("banani")]),
            def("budget", "money", vec![]),
            def("visit_on", "date", vec![]),
            def("nid_verified", "yes_no", vec![]),
            def("notes2", "long_text", vec![]),
        ]
    }

    #[test]
    fn conditions_parse_by_the_fields_kind() {
        let c = parse("area=Gulshan|banani; budget~1000..; visit_on~..2026-12-31; nid_verified=yes; notes2=", &defs())
            .unwrap();
        let tests: Vec<&Test> = c.iter().map(|c| &c.test).collect();
        assert_eq!(
            tests,
            [
                &Test::OneOf(vec!["gulshan".into(), "banani".into()]),
                &Test::Between(Some(1000.0), None),
                &Test::DatesBetween(None, Some("2026-12-31".into())),
                &Test::OneOf(vec!["true".into()]),
                &Test::Empty,
            ]
        );
    }

    #[test]
    fn a_bad_condition_names_itself() {
        let reason = |raw: &str| match parse(raw, &defs()).unwrap_err().get("custom") {
            Some(FieldError::Invalid { reason }) => reason.clone(),
            other => panic!("{other:?}"),
        };
        assert!(reason("colour=red").contains("\"colour\" is not a field"));
        assert!(reason("area=mirpur").contains("not one of its choices"));
        assert!(reason("area~1..2").contains("only numbers"));
        assert!(reason("budget~a..b").contains("not a number"));
        assert!(reason("notes2=hello").contains("search"));
        assert!(reason("area").contains("write key=value"));
    }

    #[test]
    fn the_query_a_page_writes_parses_back() {
        let raw = to_query(&[
            ("area".into(), Test::OneOf(vec!["gulshan".into()])),
            ("budget".into(), Test::Between(None, Some(5.0))),
        ]);
        assert_eq!(raw, "area=gulshan;budget~..5");
        assert_eq!(parse(&raw, &defs()).unwrap().len(), 2);
    }
}
