//! SQL for filters on custom fields: each condition narrows a list to the records whose rows
//! in the filter index (`custom_values`) pass it.

use crate::db::Sql;
use fieldwork_app::fields::filter::{Condition, Test};

/// Adds ` AND <id_column> …` for `condition` to a list's query.
pub(crate) fn push(sql: &mut Sql, id_column: &str, condition: &Condition) {
    let field = sql.arg(condition.field.id.to_string());
    let rows = format!("SELECT v.record_id FROM custom_values v WHERE v.field_id = {field}");
    let test = match &condition.test {
        Test::OneOf(values) => {
            let places: Vec<String> = values.iter().map(|v| sql.arg(v.as_str())).collect();
            format!(" AND {id_column} IN ({rows} AND v.text_value IN ({}))", places.join(", "))
        }
        Test::Between(min, max) => {
            let ends: Vec<String> = [(min, ">="), (max, "<=")]
                .into_iter()
                .filter_map(|(end, op)| end.map(|n| format!(" AND v.num_value {op} {}", sql.arg(n))))
                .collect();
            format!(" AND {id_column} IN ({rows}{} AND v.num_value IS NOT NULL)", ends.concat())
        }
        Test::DatesBetween(min, max) => {
            let ends: Vec<String> = [(min, ">="), (max, "<=")]
                .into_iter()
                .filter_map(|(end, op)| end.as_deref().map(|d| format!(" AND v.text_value {op} {}", sql.arg(d))))
                .collect();
            format!(" AND {id_column} IN ({rows}{} AND v.text_value IS NOT NULL)", ends.concat())
        }
        Test::Empty => format!(" AND {id_column} NOT IN ({rows})"),
    };
    sql.push(&test);
}
