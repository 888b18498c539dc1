//! The check-out form's answers, read from the filter index of visit fields
//! (`custom_values`): per rep, question and answer.

use super::{contact_filter, in_list, range};
use crate::db::{Db, Sql, StoreResult};
use crate::reports::frame::Frame;
use fieldwork_app::common::UserId;

/// What `reps` answered in the frame's visits (checked in in the period, the contact in the
/// frame's territory and segment): one row per rep, question (`field_id`) and answer (its
/// indexed text: a choice's key, `true`/`false`; none for a number), with how many answers
/// and the sum of the numbers.
pub struct Answered {
    pub rep: String,
    pub field: String,
    pub answer: Option<String>,
    pub count: i64,
    pub sum: Option<f64>,
}

/// `(rep, field, answer, count, sum)` as the query reads them.
type AnsweredRow = (String, String, Option<String>, i64, Option<f64>);

pub async fn visit_answers(db: &Db, f: &Frame, reps: &[UserId], fields: &[String]) -> StoreResult<Vec<Answered>> {
    let mut sql = Sql::new(
        "SELECT v.rep_id, cv.field_id, cv.text_value, CAST(COUNT(*) AS BIGINT), \
         CAST(SUM(cv.num_value) AS DOUBLE PRECISION) FROM visits v \
         JOIN custom_values cv ON cv.record_id = v.id LEFT JOIN contacts c ON c.id = v.contact_id \
         WHERE v.deleted = 0",
    );
    range(&mut sql, "v.check_in_at", f.from, f.to);
    let list = in_list(&mut sql, reps);
    sql.push(&format!(" AND v.rep_id IN {list}"));
    let list = in_list(&mut sql, fields);
    sql.push(&format!(" AND cv.field_id IN {list}"));
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY v.rep_id, cv.field_id, cv.text_value");
    let rows: Vec<AnsweredRow> = sql.query_as().fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(|(rep, field, answer, count, sum)| Answered { rep, field, answer, count, sum }).collect())
}

/// How many of `reps`' visits in the frame answered each question: `(rep, field_id) → visits`
/// (a question of several choices counts a visit once, however many it picked).
pub async fn visits_answering(
    db: &Db,
    f: &Frame,
    reps: &[UserId],
    fields: &[String],
) -> StoreResult<Vec<(String, String, i64)>> {
    let mut sql = Sql::new(
        "SELECT v.rep_id, cv.field_id, CAST(COUNT(DISTINCT v.id) AS BIGINT) FROM visits v \
         JOIN custom_values cv ON cv.record_id = v.id LEFT JOIN contacts c ON c.id = v.contact_id \
         WHERE v.deleted = 0",
    );
    range(&mut sql, "v.check_in_at", f.from, f.to);
    let list = in_list(&mut sql, reps);
    sql.push(&format!(" AND v.rep_id IN {list}"));
    let list = in_list(&mut sql, fields);
    sql.push(&format!(" AND cv.field_id IN {list}"));
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY v.rep_id, cv.field_id");
    Ok(sql.query_as().fetch_all(db.pool()).await?)
}
