//! The field-level merge of an offline edit: the server's order decides, field by field. An
//! edit made against an older version keeps each field nobody else changed since; a field
//! someone else changed first keeps their value, and the device's value is kept as a
//! conflict for the user to restore.

use crate::common::FieldErrors;
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Merged {
    /// The fields to write.
    pub apply: Map<String, Value>,
    /// Field name → (the device's value, the value that stays).
    pub lost: Vec<(String, Value, Value)>,
}

/// Merges `changed` fields made on a device that saw `base` (each field's value before the
/// edit) into the record as the server holds it now (`current`, the record's JSON).
///
/// A field is applied when the record is still at the device's version, when the server
/// still holds the value the device saw, or when the server already holds the device's value.
/// A field the device sent without its earlier value is applied only at the same version.
pub fn merge_fields(
    changed: &Map<String, Value>,
    base: &Map<String, Value>,
    current: &Value,
    same_version: bool,
) -> Merged {
    let mut merged = Merged::default();
    for (field, mine) in changed {
        if let (true, Value::Object(mine)) = (field == CUSTOM, mine) {
            // Custom values merge one field at a time, as built-in fields do.
            for (key, mine) in mine {
                let path = format!("{CUSTOM}.{key}");
                let theirs = get_path(current, &path).cloned().unwrap_or(Value::Null);
                if untouched(same_version, base_path(base, &path), mine, &theirs) {
                    let custom = merged.apply.entry(CUSTOM).or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(custom) = custom {
                        custom.insert(key.clone(), mine.clone());
                    }
                } else {
                    merged.lost.push((path, mine.clone(), theirs));
                }
            }
            continue;
        }
        let theirs = current.get(field).cloned().unwrap_or(Value::Null);
        if untouched(same_version, base.get(field), mine, &theirs) {
            merged.apply.insert(field.clone(), mine.clone());
        } else {
            merged.lost.push((field.clone(), mine.clone(), theirs));
        }
    }
    merged
}

/// The field that holds a record's custom values, merged key by key (`custom.<key>`).
pub const CUSTOM: &str = "custom";

/// A record's field by its name, where `custom.<key>` names one custom value.
pub fn get_path<'a>(record: &'a Value, path: &str) -> Option<&'a Value> {
    match path.split_once('.') {
        Some((CUSTOM, key)) => record.get(CUSTOM)?.get(key),
        _ => record.get(path),
    }
}

/// Sets a record's field by its name, where `custom.<key>` names one custom value.
pub fn set_path(record: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        Some((CUSTOM, key)) => {
            let custom = record.entry(CUSTOM).or_insert_with(|| Value::Object(Map::new()));
            if !custom.is_object() {
                *custom = Value::Object(Map::new());
            }
            if let Value::Object(custom) = custom {
                custom.insert(key.to_string(), value);
            }
        }
        _ => {
            record.insert(path.to_string(), value);
        }
    }
}

/// The custom values of a device's change that `refused` names, taken out of `fields` so the
/// rest can still apply: `(custom.<key>, the device's value)` each. A definition that changed
/// while the device was offline (a choice retired, a field made office-only) must not lose
/// what the rep typed; the value is kept as a conflict instead. `None` when anything else is
/// refused, or a field the change did not send (a required one): the change is refused whole.
pub fn take_misfits(fields: &mut Map<String, Value>, refused: &FieldErrors) -> Option<Vec<(String, Value)>> {
    let keys: Vec<&str> = refused.0.keys().map(|path| path.strip_prefix("custom.")).collect::<Option<_>>()?;
    let Some(Value::Object(custom)) = fields.get_mut(CUSTOM) else { return None };
    if keys.is_empty() || !keys.iter().all(|k| custom.contains_key(*k)) {
        return None;
    }
    let taken = keys.iter().filter_map(|k| custom.remove(*k).map(|v| (format!("{CUSTOM}.{k}"), v))).collect();
    if custom.is_empty() {
        fields.remove(CUSTOM);
    }
    Some(taken)
}

fn base_path<'a>(base: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    match path.split_once('.') {
        Some((CUSTOM, key)) => base.get(CUSTOM)?.get(key).or_else(|| base.get(path)),
        _ => base.get(path),
    }
}

fn untouched(same_version: bool, seen: Option<&Value>, mine: &Value, theirs: &Value) -> bool {
    same_version || seen.is_some_and(|seen| same(seen, theirs)) || same(mine, theirs)
}

/// JSON equality where a missing value and null agree.
fn same(a: &Value, b: &Value) -> bool {
    a == b || (a.is_null() && b.is_null())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn custom_values_that_no_longer_fit_are_taken_out_and_the_rest_stays() {
        use crate::common::FieldError;
        let mut refused = FieldErrors::new();
        refused.add("custom.area", FieldError::NotAllowed);
        let mut fields = map(json!({"name": "Rahim", "custom": {"area": "mirpur", "budget": 5}}));
        assert_eq!(take_misfits(&mut fields, &refused), Some(vec![("custom.area".to_string(), json!("mirpur"))]));
        assert_eq!(fields, map(json!({"name": "Rahim", "custom": {"budget": 5}})));
        let mut only = map(json!({"custom": {"area": "mirpur"}}));
        assert!(take_misfits(&mut only, &refused).is_some() && only.is_empty());

        refused.add("name", FieldError::Required);
        let mut fields = map(json!({"name": "", "custom": {"area": "mirpur"}}));
        assert_eq!(take_misfits(&mut fields, &refused), None, "a built-in field refused refuses the change");
        let mut unsent = FieldErrors::new();
        unsent.add("custom.floor", FieldError::Required);
        assert_eq!(take_misfits(&mut map(json!({"custom": {"area": "x"}})), &unsent), None);
    }

    #[test]
    fn at_the_same_version_every_field_applies() {
        let m = merge_fields(&map(json!({"name": "Rahim"})), &Map::new(), &json!({"name": "Karim"}), true);
        assert_eq!(m.apply, map(json!({"name": "Rahim"})));
        assert!(m.lost.is_empty());
    }

    #[test]
    fn a_field_someone_else_changed_first_keeps_their_value() {
        let current = json!({"name": "Rahim Uddin", "phones": ["+8801711000002"], "notes": "gate code 12"});
        let changed = map(json!({"phones": ["+8801711000099"], "notes": "prefers mornings"}));
        let base = map(json!({"phones": ["+8801711000001"], "notes": "gate code 12"}));
        let m = merge_fields(&changed, &base, &current, false);
        assert_eq!(m.apply, map(json!({"notes": "prefers mornings"})));
        assert_eq!(m.lost, vec![("phones".to_string(), json!(["+8801711000099"]), json!(["+8801711000002"]))]);
    }

    #[test]
    fn the_same_value_written_twice_is_no_conflict_and_an_unknown_base_is() {
        let current = json!({"name": "Rahim", "address": null});
        let m = merge_fields(&map(json!({"name": "Rahim", "address": "Road 2"})), &Map::new(), &current, false);
        assert_eq!(m.apply, map(json!({"name": "Rahim"})));
        assert_eq!(m.lost.len(), 1);
        let m = merge_fields(&map(json!({"address": "Road 2"})), &map(json!({"address": null})), &json!({}), false);
        assert_eq!(m.apply, map(json!({"address": "Road 2"})), "missing and null agree");
    }

    #[test]
    fn custom_values_merge_one_field_at_a_time() {
        let current = json!({"custom": {"budget": 300, "area": ["gulshan"], "floor": 2}});
        let changed = map(json!({"custom": {"budget": 500, "area": ["banani"]}}));
        let base = map(json!({"custom": {"budget": 100, "area": ["gulshan"]}}));
        let m = merge_fields(&changed, &base, &current, false);
        assert_eq!(m.apply, map(json!({"custom": {"area": ["banani"]}})));
        assert_eq!(m.lost, vec![("custom.budget".to_string(), json!(500), json!(300))]);
        let mut record = map(json!({"name": "Rahim"}));
        set_path(&mut record, "custom.budget", json!(500));
        assert_eq!(get_path(&Value::Object(record), "custom.budget"), Some(&json!(500)));
    }
}
