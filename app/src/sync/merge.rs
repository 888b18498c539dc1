//! The field-level merge of an offline edit: the server's order decides, field by field. An
//! edit made against an older version keeps each field nobody else changed since; a field
//! someone else changed first keeps their value, and the device's value is kept as a
//! conflict for the user to restore.

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
        let theirs = current.get(field).cloned().unwrap_or(Value::Null);
        let untouched = same_version || base.get(field).is_some_and(|seen| same(seen, &theirs)) || same(mine, &theirs);
        if untouched {
            merged.apply.insert(field.clone(), mine.clone());
        } else {
            merged.lost.push((field.clone(), mine.clone(), theirs));
        }
    }
    merged
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
}
