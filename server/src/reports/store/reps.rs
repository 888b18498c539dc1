//! Field work per rep over a frame: visits done (and far from their target), meetings and
//! showings planned, calls logged, contacts created.

use super::{by_key, contact_filter, filters_contacts, in_list, range};
use crate::db::{Db, Sql, StoreResult};
use crate::reports::frame::Frame;
use fieldwork_app::common::UserId;
use std::collections::HashMap;

/// Visits checked in during the frame, and how many of those were far from their target, per rep.
pub async fn visits_done(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, (i64, i64)>> {
    let mut sql = Sql::new(
        "SELECT v.rep_id, CAST(COUNT(*) AS BIGINT), CAST(SUM(v.far) AS BIGINT) FROM visits v \
         LEFT JOIN contacts c ON c.id = v.contact_id WHERE v.deleted = 0",
    );
    range(&mut sql, "v.check_in_at", f.from, f.to);
    let list = in_list(&mut sql, reps);
    sql.push(&format!(" AND v.rep_id IN {list}"));
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY v.rep_id");
    let rows: Vec<(String, i64, Option<i64>)> = sql.query_as().fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(|(id, n, far)| (id, (n, far.unwrap_or(0)))).collect())
}

const PLANNED: &str = " AND a.kind IN ('meeting', 'showing') AND a.status <> 'cancelled'";

/// Meetings and showings (not cancelled) starting in the frame, per assignee: one-off ones
/// counted in SQL, occurrences of repeating series expanded by their rule.
pub async fn visits_planned(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, i64>> {
    let mut counts = planned_once(db, f, reps).await?;
    for (assignee, n) in planned_series(db, f, reps).await? {
        *counts.entry(assignee).or_default() += n;
    }
    Ok(counts)
}

/// One-off meetings and showings (not cancelled) starting in the frame, per assignee.
pub async fn planned_once(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, i64>> {
    let mut sql = Sql::new(
        "SELECT a.assignee_id, CAST(COUNT(*) AS BIGINT) FROM appointments a \
         LEFT JOIN contacts c ON c.id = a.contact_id WHERE a.deleted = 0 AND a.recurrence IS NULL",
    );
    sql.push(PLANNED);
    range(&mut sql, "a.starts_at", f.from, f.to);
    let list = in_list(&mut sql, reps);
    sql.push(&format!(" AND a.assignee_id IN {list}"));
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY a.assignee_id");
    Ok(by_key(sql.query_as().fetch_all(db.pool()).await?))
}

/// Occurrences of repeating meetings and showings in the frame, per assignee, expanded by
/// their rule.
pub async fn planned_series(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, i64>> {
    let mut counts: HashMap<String, i64> = HashMap::new();
    let mut sql = Sql::new(
        "SELECT a.assignee_id, a.starts_at, a.ends_at, a.time_zone, a.recurrence, a.recurrence_exceptions \
         FROM appointments a LEFT JOIN contacts c ON c.id = a.contact_id \
         WHERE a.deleted = 0 AND a.recurrence IS NOT NULL",
    );
    sql.push(PLANNED);
    let (a, b) = (sql.arg(f.from), sql.arg(f.to));
    sql.push(&format!(" AND a.starts_at < {b} AND (a.series_ends_at IS NULL OR a.series_ends_at > {a})"));
    let list = in_list(&mut sql, reps);
    sql.push(&format!(" AND a.assignee_id IN {list}"));
    contact_filter(&mut sql, f);
    type SeriesRow = (String, i64, i64, String, Option<String>, Option<String>);
    let rows: Vec<SeriesRow> = sql.query_as().fetch_all(db.pool()).await?;
    for (assignee, starts, ends, zone, rule, exceptions) in rows {
        let (Some(Ok(rule)), Ok(zone)) = (
            rule.map(|r| serde_json::from_str::<fieldwork_app::appointments::Recurrence>(&r)),
            zone.parse::<chrono_tz::Tz>(),
        ) else {
            continue;
        };
        let exceptions: Vec<chrono::NaiveDate> =
            exceptions.and_then(|e| serde_json::from_str(&e).ok()).unwrap_or_default();
        let series = crate::appointments::recurrence::Series {
            starts_at: crate::db::from_ms(starts),
            ends_at: crate::db::from_ms(ends),
            zone,
            rule: &rule,
            exceptions: &exceptions,
        };
        let (window_from, window_to) = (crate::db::from_ms(f.from), crate::db::from_ms(f.to));
        let n = series.between(window_from, window_to).iter().filter(|(s, _)| *s >= window_from).count();
        *counts.entry(assignee).or_default() += i64::try_from(n).unwrap_or(i64::MAX);
    }
    Ok(counts)
}

/// Calls logged in the frame, per author.
pub async fn calls(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, i64>> {
    let mut sql = Sql::new("SELECT a.author_id, CAST(COUNT(*) AS BIGINT) FROM activities a");
    if filters_contacts(f) {
        sql.push(" JOIN contacts c ON c.id = a.contact_id");
    }
    sql.push(" WHERE a.deleted = 0 AND a.kind = 'call'");
    let list = in_list(&mut sql, reps);
    sql.push(&format!(" AND a.author_id IN {list}"));
    range(&mut sql, "a.occurred_at", f.from, f.to);
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY a.author_id");
    Ok(by_key(sql.query_as().fetch_all(db.pool()).await?))
}

/// Contacts created in the frame, per owner.
pub async fn new_contacts(db: &Db, f: &Frame, reps: &[UserId]) -> StoreResult<HashMap<String, i64>> {
    let mut sql = Sql::new("SELECT c.owner_id, CAST(COUNT(*) AS BIGINT) FROM contacts c WHERE c.deleted = 0");
    let list = in_list(&mut sql, reps);
    sql.push(&format!(" AND c.owner_id IN {list}"));
    range(&mut sql, "c.created_at", f.from, f.to);
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY c.owner_id");
    Ok(by_key(sql.query_as().fetch_all(db.pool()).await?))
}
