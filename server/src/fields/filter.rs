//! SQL for filters on custom fields: each condition narrows a list to the records whose rows
//! in the filter index (`custom_values`) pass it.
//!
//! Two ways to ask, chosen per condition ([`Condition::common`]): a value many records hold is
//! probed record by record as the list is read in its order (a correlated subquery through the
//! index on `(record_id, field_id, …)`: a page is found after a few hundred probes); a rare one
//! gathers its few records first (`IN`, through `(field_id, text_value | num_value, record_id)`),
//! as probing would read most of the list to fill a page.
//!
//! The probe is written as `(SELECT 1 … LIMIT 1) IS NOT NULL`, not `EXISTS (…)`: `PostgreSQL`
//! plans an `EXISTS` as a semi-join, and on a million contacts it probed through the
//! `(field_id, text_value, record_id)` index with a parallel worker started for each branch of
//! a rep's page (30 ms p50 for the page); the scalar subquery it runs once per row read,
//! through the covering `(record_id, field_id, …)` index, with no workers (7 ms), as `SQLite`
//! runs both.

use crate::db::Sql;
use fieldwork_app::fields::filter::{Condition, Test};

/// Adds ` AND <id_column> …` for `condition` to a list's query.
pub(crate) fn push(sql: &mut Sql, id_column: &str, condition: &Condition) {
    let field = sql.arg(condition.field.id.to_string());
    let test = matching(sql, &condition.test);
    let text = match (&condition.test, condition.common) {
        (Test::Empty, _) => {
            format!(" AND NOT EXISTS (SELECT 1 FROM custom_values v WHERE v.record_id = {id_column} AND v.field_id = {field})")
        }
        (_, true) => format!(
            " AND (SELECT 1 FROM custom_values v WHERE v.record_id = {id_column} AND v.field_id = {field}{test} LIMIT 1) \
             IS NOT NULL"
        ),
        (_, false) => {
            format!(" AND {id_column} IN (SELECT v.record_id FROM custom_values v WHERE v.field_id = {field}{test})")
        }
    };
    sql.push(&text);
}

/// The condition on one index row (` AND v.… `), its values bound in `sql`.
fn matching(sql: &mut Sql, test: &Test) -> String {
    match test {
        Test::OneOf(values) => {
            let places: Vec<String> = values.iter().map(|v| sql.arg(v.as_str())).collect();
            format!(" AND v.text_value IN ({})", places.join(", "))
        }
        Test::Between(min, max) => {
            let ends: Vec<String> = [(min, ">="), (max, "<=")]
                .into_iter()
                .filter_map(|(end, op)| end.map(|n| format!(" AND v.num_value {op} {}", sql.arg(n))))
                .collect();
            format!("{} AND v.num_value IS NOT NULL", ends.concat())
        }
        Test::DatesBetween(min, max) => {
            let ends: Vec<String> = [(min, ">="), (max, "<=")]
                .into_iter()
                .filter_map(|(end, op)| end.as_deref().map(|d| format!(" AND v.text_value {op} {}", sql.arg(d))))
                .collect();
            format!("{} AND v.text_value IS NOT NULL", ends.concat())
        }
        Test::Empty => String::new(),
    }
}

/// How many records pass `condition`, counted up to `cap` (whether it is common).
pub(crate) async fn count_upto(db: &crate::db::Db, condition: &Condition, cap: i64) -> crate::db::StoreResult<i64> {
    let mut sql = Sql::new("SELECT COUNT(*) FROM (SELECT 1 FROM custom_values v WHERE v.field_id = ");
    let field = sql.arg(condition.field.id.to_string());
    sql.push(&field);
    let test = matching(&mut sql, &condition.test);
    sql.push(&test);
    let l = sql.arg(cap);
    sql.push(&format!(" LIMIT {l}) n"));
    Ok(sql.query_scalar().fetch_one(db.pool()).await?)
}
