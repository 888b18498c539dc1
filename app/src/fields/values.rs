//! A record's custom values (`"custom": {"key": value}`): checked against the definitions in
//! the browser form and again on the server, with errors on `custom.<key>`.

use super::{EditableBy, FieldDef, FieldKind};
use crate::common::{Email, Expected, FieldError, FieldErrors, Phone};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The longest one-line and long text value.
pub const MAX_TEXT: usize = 200;
pub const MAX_LONG_TEXT: usize = 5_000;
const MAX_URL: usize = 500;

/// A record's values by field key; a field without a value is absent.
pub type CustomValues = BTreeMap<String, Value>;

/// The name a custom field's error and conflict go under: `custom.<key>`.
pub fn path(key: &str) -> String {
    format!("custom.{key}")
}

/// Who is writing, as far as custom values care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Writer {
    /// Office staff, managers and admins may change fields only they may edit.
    pub office_and_up: bool,
}

/// `held` with the `incoming` values of the fields it has no value for — a value it holds
/// stays, as a merge keeps a built-in field — or `None` when that adds nothing.
pub fn fill_gaps<'a>(
    held: &CustomValues,
    incoming: impl IntoIterator<Item = (&'a String, &'a Value)>,
) -> Option<CustomValues> {
    let mut filled = held.clone();
    for (key, value) in incoming {
        filled.entry(key.clone()).or_insert_with(|| value.clone());
    }
    (filled != *held).then_some(filled)
}

/// Checks the `changes` a writer makes to a record's custom values (`current`: the values the
/// record holds; `None` when it is being created, when every required field must be given).
/// Returns the record's values after the change, normalised (`"12"` → `12`, blank → absent).
pub fn apply(
    defs: &[FieldDef],
    current: Option<&CustomValues>,
    changes: &Map<String, Value>,
    writer: Writer,
) -> Result<CustomValues, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut values = current.cloned().unwrap_or_default();
    for (key, raw) in changes {
        let Some(def) = defs.iter().find(|d| &d.key == key) else {
            e.add(&path(key), FieldError::UnknownField);
            continue;
        };
        let was = values.get(key);
        let value = match check_value(def, raw, was) {
            Ok(value) => value,
            Err(error) => {
                e.add(&path(key), error);
                continue;
            }
        };
        let changed = was.cloned().unwrap_or(Value::Null) != value;
        if changed && def.editable_by == EditableBy::OfficeAndUp && !writer.office_and_up {
            e.add(&path(key), FieldError::OfficeOnly);
            continue;
        }
        if value.is_null() {
            if def.required && (changed || current.is_none()) {
                e.add(&path(key), FieldError::Required);
            }
            values.remove(key);
        } else {
            values.insert(key.clone(), value);
        }
    }
    if current.is_none() {
        for def in defs.iter().filter(|d| d.required && !values.contains_key(&d.key)) {
            e.add(&path(&def.key), FieldError::Required);
        }
    }
    e.into_result(|| values)
}

/// One value as the field stores it: `Null` for blank. A retired choice is accepted only where
/// the record already holds it.
pub fn check_value(def: &FieldDef, raw: &Value, was: Option<&Value>) -> Result<Value, FieldError> {
    let text = |max: usize| -> Result<Value, FieldError> {
        let Value::String(s) = raw else { return Err(wrong(Expected::Text)) };
        let s = s.trim();
        if s.chars().count() > max {
            return Err(FieldError::TooLong { max });
        }
        Ok(if s.is_empty() { Value::Null } else { Value::String(s.to_string()) })
    };
    if raw.is_null() || raw.as_str().is_some_and(|s| s.trim().is_empty()) || raw.as_array().is_some_and(Vec::is_empty) {
        return Ok(Value::Null);
    }
    match def.kind {
        FieldKind::Text => text(MAX_TEXT),
        FieldKind::LongText => text(MAX_LONG_TEXT),
        FieldKind::Number => number(raw).map(whole_or_not),
        FieldKind::Money => money(raw).map(Value::from),
        FieldKind::Date => {
            let s = raw.as_str().ok_or_else(|| wrong(Expected::Date))?.trim();
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| wrong(Expected::Date))?;
            Ok(Value::String(s.to_string()))
        }
        FieldKind::YesNo => yes_no(raw).map(Value::Bool),
        FieldKind::Choice => {
            let key = raw.as_str().ok_or_else(|| wrong(Expected::ChoiceKey))?.trim();
            offered(def, key, was.and_then(Value::as_str) == Some(key))?;
            Ok(Value::String(key.to_string()))
        }
        FieldKind::Choices => {
            let keys: Vec<&str> = match raw {
                Value::Array(items) => items
                    .iter()
                    .map(|v| v.as_str().ok_or_else(|| wrong(Expected::ChoiceKeys)))
                    .collect::<Result<_, _>>()?,
                _ => return Err(wrong(Expected::ChoiceKeys)),
            };
            let held =
                |key: &str| was.and_then(Value::as_array).is_some_and(|w| w.iter().any(|v| v.as_str() == Some(key)));
            let mut picked: Vec<&str> = Vec::with_capacity(keys.len());
            for key in keys.into_iter().map(str::trim) {
                offered(def, key, held(key))?;
                if !picked.contains(&key) {
                    picked.push(key);
                }
            }
            // Stored in the order the field offers them, so the same answer is the same value.
            picked.sort_by_key(|k| def.choices.iter().position(|c| c.key == *k));
            Ok(Value::from(picked))
        }
        FieldKind::Phone => {
            Ok(Value::String(Phone::parse(raw.as_str().ok_or_else(|| wrong(Expected::Phone))?)?.as_str().into()))
        }
        FieldKind::Email => {
            Ok(Value::String(Email::parse(raw.as_str().ok_or_else(|| wrong(Expected::Email))?)?.as_str().into()))
        }
        FieldKind::Url => {
            let s = raw.as_str().ok_or_else(|| wrong(Expected::WebAddress))?.trim();
            let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")).unwrap_or("");
            if s.len() > MAX_URL {
                Err(FieldError::TooLong { max: MAX_URL })
            } else if rest.is_empty() || rest.starts_with('/') || s.chars().any(char::is_whitespace) {
                Err(wrong(Expected::WebAddress))
            } else {
                Ok(Value::String(s.to_string()))
            }
        }
        FieldKind::Link => {
            let s = raw.as_str().ok_or_else(|| wrong(Expected::RecordId))?.trim();
            uuid::Uuid::parse_str(s).map_err(|_| wrong(Expected::RecordId))?;
            Ok(Value::String(s.to_string()))
        }
    }
}

/// The values that do not fit `def` (a definition being changed): `(record id, value)` pairs.
pub fn misfits<'a>(
    def: &FieldDef,
    values: impl IntoIterator<Item = (&'a str, &'a Value)>,
) -> Vec<(&'a str, &'a Value)> {
    values.into_iter().filter(|(_, v)| check_value(def, v, Some(v)).is_err()).collect()
}

/// The text a record is found by in search: the values of its text fields (short text only —
/// a long text is notes, read on the record, not indexed word by word).
pub fn search_text(defs: &[FieldDef], values: &CustomValues) -> Vec<String> {
    defs.iter()
        .filter(|d| d.kind == FieldKind::Text)
        .filter_map(|d| values.get(&d.key)?.as_str().map(str::to_string))
        .collect()
}

/// A cell of an imported file as the value of `def`, read the way [`display`] writes it (so an
/// export imports again): a choice by its key or its label in either language, several
/// separated by `;`, `,` or `|`, money in whole units (`2,500,000.00`, `BDT 2500000`). What cannot be read is
/// passed on as the text it is, for the check to refuse by name.
pub fn import_value(def: &FieldDef, cell: &str) -> Value {
    let cell = cell.trim();
    let choice = |raw: &str| -> String {
        let raw = raw.trim();
        def.choices
            .iter()
            .find(|c| c.key == raw || c.label.en.eq_ignore_ascii_case(raw) || c.label.bn.as_deref() == Some(raw))
            .map_or_else(|| raw.to_string(), |c| c.key.clone())
    };
    match def.kind {
        FieldKind::Choice => Value::String(choice(cell)),
        FieldKind::Choices => {
            Value::from(cell.split([';', ',', '|']).filter(|p| !p.trim().is_empty()).map(choice).collect::<Vec<_>>())
        }
        // `BDT 2,500,000` or `2500000.00`: the digits, in whole units.
        FieldKind::Money => match cell
            .chars()
            .filter(|c| c.is_ascii_digit() || matches!(c, '.' | '-'))
            .collect::<String>()
            .parse::<f64>()
        {
            #[allow(clippy::cast_possible_truncation)] // rounded minor units; `check_value` bounds them
            Ok(major) if major.is_finite() => Value::from((major * 100.0).round() as i64),
            _ => Value::String(cell.to_string()),
        },
        _ => Value::String(cell.to_string()),
    }
}

/// A value as a person reads it, in `language` (`bn` or English): choice labels, yes/no, money.
pub fn display(def: &FieldDef, value: &Value, language: &str) -> String {
    let label =
        |key: &str| def.choice(key).map_or_else(|| key.to_string(), |c| c.label.in_language(language).to_string());
    match (def.kind, value) {
        (FieldKind::Choice, Value::String(key)) => label(key),
        (FieldKind::Choices, Value::Array(keys)) => {
            keys.iter().filter_map(Value::as_str).map(label).collect::<Vec<_>>().join(", ")
        }
        (FieldKind::YesNo, Value::Bool(yes)) => match (language, yes) {
            ("bn", true) => "হ্যাঁ".into(),
            ("bn", false) => "না".into(),
            (_, true) => "Yes".into(),
            (_, false) => "No".into(),
        },
        (FieldKind::Money, Value::Number(n)) => {
            let minor = n.as_i64().unwrap_or_default();
            let unit = def.unit.as_deref().unwrap_or("BDT");
            if minor % 100 == 0 {
                format!("{unit} {}", minor / 100)
            } else {
                format!("{unit} {}.{:02}", minor / 100, minor % 100)
            }
        }
        (FieldKind::Number, Value::Number(n)) => match &def.unit {
            Some(unit) => format!("{n} {unit}"),
            None => n.to_string(),
        },
        (_, Value::String(s)) => s.clone(),
        (_, Value::Null) => String::new(),
        (_, other) => other.to_string(),
    }
}

/// What the filter index holds for a value: one row per choice, a number for numbers and
/// money, lower-case text for the rest (`true`/`false` for yes/no).
pub fn index_rows(def: &FieldDef, value: &Value) -> Vec<(Option<String>, Option<f64>)> {
    match (def.kind, value) {
        (FieldKind::Number | FieldKind::Money, Value::Number(n)) => vec![(None, n.as_f64())],
        (FieldKind::Choices, Value::Array(keys)) => {
            keys.iter().filter_map(Value::as_str).map(|k| (Some(k.to_string()), None)).collect()
        }
        (FieldKind::YesNo, Value::Bool(b)) => vec![(Some(b.to_string()), None)],
        (FieldKind::LongText, _) => vec![],
        (_, Value::String(s)) => vec![(Some(s.chars().take(MAX_TEXT).collect::<String>().to_lowercase()), None)],
        _ => vec![],
    }
}

fn wrong(expected: Expected) -> FieldError {
    FieldError::MustBe { expected }
}

fn offered(def: &FieldDef, key: &str, held: bool) -> Result<(), FieldError> {
    match def.choice(key) {
        Some(c) if !c.retired || held => Ok(()),
        _ => Err(FieldError::NotAllowed),
    }
}

fn number(raw: &Value) -> Result<f64, FieldError> {
    let n = match raw {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().replace(',', "").parse::<f64>().ok(),
        _ => None,
    };
    n.filter(|n| n.is_finite() && n.abs() < 1e15).ok_or_else(|| wrong(Expected::Number))
}

/// A whole number as an integer (`3`, not `3.0`), any other as it is.
fn whole_or_not(n: f64) -> Value {
    if n.fract() == 0.0 {
        #[allow(clippy::cast_possible_truncation)] // whole and under 1e15 (see `number`)
        Value::from(n as i64)
    } else {
        Value::from(n)
    }
}

fn money(raw: &Value) -> Result<i64, FieldError> {
    let n = number(raw).map_err(|_| wrong(Expected::WholeMinorUnits))?;
    if n < 0.0 {
        return Err(FieldError::Negative);
    }
    if n.fract() != 0.0 {
        return Err(wrong(Expected::WholeMinorUnits));
    }
    #[allow(clippy::cast_possible_truncation)] // a whole number under 1e15, checked above
    Ok(n as i64)
}

fn yes_no(raw: &Value) -> Result<bool, FieldError> {
    match raw {
        Value::Bool(b) => Ok(*b),
        Value::String(s) => match s.trim().to_lowercase().as_str() {
            "yes" | "true" | "y" | "1" | "হ্যাঁ" => Ok(true),
            "no" | "false" | "n" | "0" | "না" => Ok(false),
            _ => Err(wrong(Expected::YesNo)),
        },
        _ => Err(wrong(Expected::YesNo)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::FieldId;
    use crate::fields::{Choice, Label, RecordType};
    use serde_json::json;

    #[test]
    fn filling_gaps_adds_the_values_a_record_lacks_and_keeps_those_it_holds() {
        let held: CustomValues = [("budget".to_string(), json!(100))].into();
        let incoming: CustomValues =
            [("budget".to_string(), json!(200)), ("area".to_string(), json!(["gulshan"]))].into();
        let filled = fill_gaps(&held, &incoming).unwrap();
        assert_eq!(filled, [("budget".to_string(), json!(100)), ("area".to_string(), json!(["gulshan"]))].into());
        assert_eq!(fill_gaps(&filled, &incoming), None, "nothing left to fill");
    }

    fn def(key: &str, kind: FieldKind, required: bool) -> FieldDef {
        let choice =
            |key: &str, retired| Choice { key: key.into(), label: Label { en: key.to_uppercase(), bn: None }, retired };
        FieldDef {
            id: FieldId::new(),
            record_type: RecordType::Contact,
            key: key.into(),
            label: Label { en: key.into(), bn: None },
            kind,
            unit: (kind == FieldKind::Money).then(|| "BDT".into()),
            link_to: None,
            required,
            help: None,
            choices: if kind.has_choices() {
                vec![choice("gulshan", false), choice("banani", false), choice("old", true)]
            } else {
                vec![]
            },
            section: None,
            position: 0,
            editable_by: EditableBy::All,
            ask_when: None,
            contact_kind: None,
            version: 1,
        }
    }

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    const REP: Writer = Writer { office_and_up: false };

    #[test]
    fn an_exported_value_imports_as_the_value_it_was() {
        let area = def("area", FieldKind::Choices, false);
        let budget = def("budget", FieldKind::Money, false);
        for (d, value) in [(&area, json!(["gulshan", "banani"])), (&budget, json!(250_000_000))] {
            let shown = display(d, &value, "en");
            assert_eq!(check_value(d, &import_value(d, &shown), None), Ok(value), "{shown}");
        }
        assert_eq!(import_value(&area, "banani | GULSHAN"), json!(["banani", "gulshan"]), "keys or labels");
        assert_eq!(import_value(&budget, "lots"), json!("lots"), "passed on for the check to refuse");
        assert!(check_value(&budget, &import_value(&budget, "lots"), None).is_err());
    }

    #[test]
    fn values_are_normalised_and_each_bad_one_is_named() {
        let defs = [
            def("budget", FieldKind::Money, false),
            def("area", FieldKind::Choices, false),
            def("nid_verified", FieldKind::YesNo, false),
            def("size", FieldKind::Number, false),
        ];
        let got = apply(&defs, None, &map(json!({"budget": "2500000", "area": ["banani", "gulshan", "banani"], "nid_verified": "yes", "size": ""})), REP).unwrap();
        assert_eq!(
            got,
            map(json!({"budget": 2_500_000, "area": ["gulshan", "banani"], "nid_verified": true}))
                .into_iter()
                .collect()
        );
        let e =
            apply(&defs, None, &map(json!({"budget": -5, "area": ["mirpur"], "colour": "red", "size": "big"})), REP)
                .unwrap_err();
        assert_eq!(
            e.0.keys().map(String::as_str).collect::<Vec<_>>(),
            ["custom.area", "custom.budget", "custom.colour", "custom.size"]
        );
        assert_eq!(e.get("custom.budget"), Some(&FieldError::Negative));
    }

    #[test]
    fn required_fields_are_asked_on_create_and_cannot_be_cleared() {
        let defs = [def("shelf_photo", FieldKind::YesNo, true), def("note", FieldKind::Text, false)];
        let e = apply(&defs, None, &map(json!({"note": "hi"})), REP).unwrap_err();
        assert_eq!(e.get("custom.shelf_photo"), Some(&FieldError::Required));
        let current: CustomValues = map(json!({"shelf_photo": false})).into_iter().collect();
        let e = apply(&defs, Some(&current), &map(json!({"shelf_photo": null})), REP).unwrap_err();
        assert_eq!(e.get("custom.shelf_photo"), Some(&FieldError::Required));
        // A record made before the field was required can still change its other fields.
        let after = apply(&defs, Some(&CustomValues::new()), &map(json!({"note": "later"})), REP).unwrap();
        assert_eq!(after.get("note"), Some(&json!("later")));
    }

    #[test]
    fn a_retired_choice_stays_where_it_is_held_and_is_not_offered_anew() {
        let defs = [def("area", FieldKind::Choice, false)];
        let holding: CustomValues = map(json!({"area": "old"})).into_iter().collect();
        assert!(apply(&defs, Some(&holding), &map(json!({"area": "old"})), REP).is_ok());
        let e = apply(&defs, Some(&CustomValues::new()), &map(json!({"area": "old"})), REP).unwrap_err();
        assert_eq!(e.get("custom.area"), Some(&FieldError::NotAllowed));
    }

    #[test]
    fn office_only_fields_refuse_a_rep_but_not_an_unchanged_value() {
        let mut d = def("credit_limit", FieldKind::Number, false);
        d.editable_by = EditableBy::OfficeAndUp;
        let current: CustomValues = map(json!({"credit_limit": 5})).into_iter().collect();
        assert!(apply(&[d.clone()], Some(&current), &map(json!({"credit_limit": 6})), REP).is_err());
        assert!(apply(&[d.clone()], Some(&current), &map(json!({"credit_limit": 5})), REP).is_ok());
        assert!(apply(&[d], Some(&current), &map(json!({"credit_limit": 6})), Writer { office_and_up: true }).is_ok());
    }

    #[test]
    fn texts_dates_links_and_addresses_are_checked() {
        let ok = |kind, v: Value| check_value(&def("f", kind, false), &v, None);
        assert_eq!(ok(FieldKind::Text, json!("  Road 2 ")), Ok(json!("Road 2")));
        assert_eq!(ok(FieldKind::Text, json!("x".repeat(201))), Err(FieldError::TooLong { max: 200 }));
        assert!(ok(FieldKind::Date, json!("2026-02-30")).is_err());
        assert_eq!(ok(FieldKind::Date, json!("2026-12-07")), Ok(json!("2026-12-07")));
        assert!(ok(FieldKind::Url, json!("ftp://x")).is_err());
        assert!(ok(FieldKind::Url, json!("https://example.com/a")).is_ok());
        assert!(ok(FieldKind::Link, json!("nope")).is_err());
        assert_eq!(ok(FieldKind::Phone, json!("01711-000001")), Ok(json!("+8801711000001")));
        assert_eq!(ok(FieldKind::Money, json!(12.5)), Err(wrong(Expected::WholeMinorUnits)));
    }

    #[test]
    fn values_read_as_people_say_them_and_index_as_filters_need() {
        let area = def("area", FieldKind::Choices, false);
        assert_eq!(display(&area, &json!(["gulshan", "banani"]), "en"), "GULSHAN, BANANI");
        assert_eq!(display(&def("b", FieldKind::Money, false), &json!(250_000_050), "en"), "BDT 2500000.50");
        assert_eq!(display(&def("y", FieldKind::YesNo, false), &json!(true), "bn"), "হ্যাঁ");
        assert_eq!(index_rows(&area, &json!(["gulshan", "banani"])).len(), 2);
        assert_eq!(
            index_rows(&def("t", FieldKind::Text, false), &json!("Road 2")),
            vec![(Some("road 2".into()), None)]
        );
        let size = def("size", FieldKind::Number, false);
        let held = [json!(["gulshan"]), json!("gulshan"), json!(["mirpur"])];
        let misfit = misfits(&area, [("a", &held[0]), ("b", &held[1]), ("c", &held[2])]);
        assert_eq!(misfit.iter().map(|(id, _)| *id).collect::<Vec<_>>(), ["b", "c"]);
        assert!(misfits(&size, [("a", &json!("12"))]).is_empty(), "a text holding a number fits a number field");
    }
}
