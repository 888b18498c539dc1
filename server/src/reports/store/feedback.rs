//! Feedback answered: the counts behind CSAT and NPS, per rep, for one rep, and per bucket of
//! a frame.

use super::{attributed, contact_filter, filters_contacts, in_list, range, scoped};
use crate::db::{Db, Sql, StoreResult};
use crate::reports::frame::Frame;
use crate::scope::Scope;
use fieldwork_app::common::UserId;
use fieldwork_app::reports::metrics::Scores;
use std::collections::HashMap;

const SCORES: &str = "CAST(SUM(CASE WHEN f.csat IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN f.csat >= 4 THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN f.nps IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN f.nps >= 9 THEN 1 ELSE 0 END) AS BIGINT), \
     CAST(SUM(CASE WHEN f.nps <= 6 THEN 1 ELSE 0 END) AS BIGINT)";

type ScoreRow = (String, Option<i64>, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

fn scores((_, a, b, c, d, e): &ScoreRow) -> Scores {
    let n = |v: &Option<i64>| v.unwrap_or(0);
    Scores { csat_answers: n(a), satisfied: n(b), nps_answers: n(c), promoters: n(d), detractors: n(e) }
}

/// Feedback answered in the frame about these reps' visits, per rep.
pub async fn scores_by_rep(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, Scores>> {
    let mut sql = Sql::new(&format!(
        "SELECT v.rep_id, {SCORES} FROM feedback f JOIN visits v ON v.id = f.visit_id \
         JOIN contacts c ON c.id = f.contact_id WHERE f.deleted = 0"
    ));
    range(&mut sql, "f.answered_at", f.from, f.to);
    let list = in_list(&mut sql, reps);
    sql.push(&format!(" AND v.rep_id IN {list}"));
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY v.rep_id");
    let rows: Vec<ScoreRow> = sql.query_as().fetch_all(db.pool()).await?;
    Ok(rows.iter().map(|r| (r.0.clone(), scores(r))).collect())
}

/// Feedback answered since `since` about `rep`'s visits.
pub async fn rep_scores(db: &Db, rep: UserId, since: i64) -> StoreResult<Scores> {
    let sql = format!(
        "SELECT '' AS rep, {SCORES} FROM feedback f JOIN visits v ON v.id = f.visit_id \
         WHERE f.deleted = 0 AND v.rep_id = $1 AND f.answered_at >= $2"
    );
    let row: ScoreRow = sqlx::query_as(&sql).bind(rep.to_string()).bind(since).fetch_one(db.pool()).await?;
    Ok(scores(&row))
}

/// Feedback answered in each of the frame's buckets (index → scores), about the visits of the
/// reps the frame counts and the contacts it filters.
pub async fn scores_by_bucket(db: &Db, f: &Frame) -> StoreResult<HashMap<usize, Scores>> {
    let mut sql = Sql::new("SELECT CASE");
    for (i, (_, _, end)) in f.buckets.iter().enumerate() {
        let p = sql.arg(*end);
        sql.push(&format!(" WHEN f.answered_at < {p} THEN '{i}'"));
    }
    sql.push(&format!(" END AS bucket, {SCORES} FROM feedback f"));
    // The whole company's answers need neither their visit nor their contact (every answer
    // has a contact): a range of one index instead of two lookups per answer.
    let all = f.scope == Scope::All;
    if !all || filters_contacts(f) {
        sql.push(" JOIN contacts c ON c.id = f.contact_id");
    }
    if !all || f.attributed.is_some() {
        sql.push(" LEFT JOIN visits v ON v.id = f.visit_id");
    }
    sql.push(" WHERE f.deleted = 0");
    range(&mut sql, "f.answered_at", f.from, f.to);
    scoped(&mut sql, &f.scope, "v.rep_id", "c.territory_id");
    attributed(&mut sql, f, "v.rep_id");
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY 1");
    let rows: Vec<ScoreRow> = sql.query_as().fetch_all(db.pool()).await?;
    Ok(rows.iter().filter_map(|r| r.0.parse::<usize>().ok().map(|i| (i, scores(r)))).collect())
}
