//! Contacts and deals by the answers of their own choice fields, read from the filter index
//! (`custom_values`): how many came in with each answer, and the deals won from them.

use super::{attributed, contact_filter, deal_scope, in_list, range, scoped};
use crate::db::{Db, Sql, StoreResult};
use crate::reports::frame::Frame;
use fieldwork_app::fields::RecordType;

/// `(field_id, answer, records)` rows: records counted once per answer.
pub type ByAnswer = Vec<(String, Option<String>, i64)>;

/// The contacts (or deals) of `record` made in the frame's period, in its scope and segment,
/// that hold an answer to one of `fields`: how many per field and answer, and how many per
/// field answered at all (`answer` None), for the shares.
pub async fn opened(db: &Db, f: &Frame, record: RecordType, fields: &[String]) -> StoreResult<(ByAnswer, ByAnswer)> {
    let per_answer = opened_query(f, record, fields, "cv.text_value", " GROUP BY cv.field_id, cv.text_value");
    let per_field = opened_query(f, record, fields, "NULL", " GROUP BY cv.field_id");
    Ok((per_answer.query_as().fetch_all(db.pool()).await?, per_field.query_as().fetch_all(db.pool()).await?))
}

fn opened_query(f: &Frame, record: RecordType, fields: &[String], answer: &str, group: &str) -> Sql {
    let mut sql;
    if record == RecordType::Deal {
        sql = Sql::new(&format!(
            "SELECT cv.field_id, {answer}, CAST(COUNT(DISTINCT d.id) AS BIGINT) FROM deals d \
             JOIN contacts c ON c.id = d.contact_id JOIN custom_values cv ON cv.record_id = d.id WHERE d.deleted = 0"
        ));
        range(&mut sql, "d.created_at", f.from, f.to);
        deal_scope(&mut sql, f);
    } else {
        sql = Sql::new(&format!(
            "SELECT cv.field_id, {answer}, CAST(COUNT(DISTINCT c.id) AS BIGINT) FROM contacts c \
             JOIN custom_values cv ON cv.record_id = c.id WHERE c.deleted = 0"
        ));
        range(&mut sql, "c.created_at", f.from, f.to);
        scoped(&mut sql, &f.scope, "c.owner_id", "c.territory_id");
        attributed(&mut sql, f, "c.owner_id");
    }
    let list = in_list(&mut sql, fields);
    sql.push(&format!(" AND cv.field_id IN {list}"));
    contact_filter(&mut sql, f);
    sql.push(group);
    sql
}

/// The deals won in the frame's period (in its scope and segment) per answer of `fields`, a
/// field of the deal's or of its contact's (`record`): `(field_id, answer, currency, deals,
/// value)`.
pub async fn won(
    db: &Db,
    f: &Frame,
    record: RecordType,
    fields: &[String],
) -> StoreResult<Vec<(String, Option<String>, String, i64, i64)>> {
    let holder = if record == RecordType::Deal { "d.id" } else { "c.id" };
    let mut sql = Sql::new(&format!(
        "SELECT cv.field_id, cv.text_value, d.value_currency, CAST(COUNT(*) AS BIGINT), \
         CAST(SUM(d.value_amount) AS BIGINT) FROM deals d JOIN contacts c ON c.id = d.contact_id \
         JOIN custom_values cv ON cv.record_id = {holder} WHERE d.deleted = 0 AND d.stage = 'won'"
    ));
    range(&mut sql, "d.stage_changed_at", f.from, f.to);
    deal_scope(&mut sql, f);
    let list = in_list(&mut sql, fields);
    sql.push(&format!(" AND cv.field_id IN {list}"));
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY cv.field_id, cv.text_value, d.value_currency");
    Ok(sql.query_as().fetch_all(db.pool()).await?)
}
