//! Deals: those closed in a frame (per owner, or the company's), those in scope now per stage,
//! and their flow between the stages (entered, moved on, time spent).

use super::{contact_filter, deal_contacts, deal_scope, in_list, range};
use crate::db::{Db, Sql, StoreResult};
use crate::reports::frame::Frame;
use fieldwork_app::common::UserId;
use std::collections::HashMap;

/// Deals closed in the frame: `(owner, stage, currency) → (count, value)`.
pub async fn closed_deals(
    db: &Db,
    f: &Frame,
    owners: Option<&[UserId]>,
) -> StoreResult<Vec<(Option<String>, String, String, i64, i64)>> {
    let mut sql = Sql::new(
        "SELECT d.owner_id, d.stage, d.value_currency, CAST(COUNT(*) AS BIGINT), CAST(SUM(d.value_amount) AS BIGINT) \
         FROM deals d JOIN contacts c ON c.id = d.contact_id WHERE d.deleted = 0 AND d.stage IN ('won', 'lost')",
    );
    range(&mut sql, "d.stage_changed_at", f.from, f.to);
    match owners {
        Some(ids) => {
            let list = in_list(&mut sql, ids);
            sql.push(&format!(" AND d.owner_id IN {list}"));
        }
        None => deal_scope(&mut sql, f),
    }
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY d.owner_id, d.stage, d.value_currency");
    Ok(sql.query_as().fetch_all(db.pool()).await?)
}

/// Deals in scope now, per stage and currency: `(stage, currency, count, value)`. Open stages
/// count every open deal; won and lost count those closed in the frame.
pub async fn deals_now(db: &Db, f: &Frame) -> StoreResult<Vec<(String, String, i64, i64)>> {
    let mut sql = Sql::new(
        "SELECT d.stage, d.value_currency, CAST(COUNT(*) AS BIGINT), CAST(SUM(d.value_amount) AS BIGINT) \
         FROM deals d JOIN contacts c ON c.id = d.contact_id WHERE d.deleted = 0",
    );
    let (a, b) = (sql.arg(f.from), sql.arg(f.to));
    sql.push(&format!(
        " AND (d.stage NOT IN ('won', 'lost') OR (d.stage_changed_at >= {a} AND d.stage_changed_at < {b}))"
    ));
    deal_scope(&mut sql, f);
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY d.stage, d.value_currency");
    Ok(sql.query_as().fetch_all(db.pool()).await?)
}

/// The rank of a stage along the pipeline (lost is off it).
fn rank(col: &str) -> String {
    format!(
        "(CASE {col} WHEN 'inquiry' THEN 0 WHEN 'proposal' THEN 1 WHEN 'negotiation' THEN 2 WHEN 'won' THEN 3 ELSE -1 END)"
    )
}

/// Per stage: deals that entered it in the frame, how many of those have reached a later stage
/// since, and the time (ms) spent in it by deals that left it in the frame, with their count.
/// `CROSS JOIN` keeps `SQLite` reading the period's stage changes first (an index range) rather
/// than every deal of a team's owners; to `PostgreSQL` it is the same inner join.
pub async fn stage_flow(db: &Db, f: &Frame) -> StoreResult<HashMap<String, (i64, i64, i64, i64)>> {
    let mut out: HashMap<String, (i64, i64, i64, i64)> = HashMap::new();
    let mut sql = Sql::new(&format!(
        "SELECT h.to_stage, CAST(COUNT(DISTINCT h.deal_id) AS BIGINT), CAST(COUNT(DISTINCT CASE WHEN EXISTS (\
         SELECT 1 FROM deal_stage_history n WHERE n.deal_id = h.deal_id AND n.at >= h.at AND {} > {}) \
         THEN h.deal_id END) AS BIGINT) \
         FROM deal_stage_history h CROSS JOIN deals d{} WHERE d.id = h.deal_id AND d.deleted = 0",
        rank("n.to_stage"),
        rank("h.to_stage"),
        deal_contacts(f)
    ));
    range(&mut sql, "h.at", f.from, f.to);
    deal_scope(&mut sql, f);
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY h.to_stage");
    for (stage, entered, moved) in sql.query_as::<(String, i64, i64)>().fetch_all(db.pool()).await? {
        let e = out.entry(stage).or_default();
        (e.0, e.1) = (entered, moved);
    }
    let mut sql = Sql::new(&format!(
        "SELECT h.from_stage, CAST(SUM(h.at - h.from_entered_at) AS BIGINT), CAST(COUNT(*) AS BIGINT) \
         FROM deal_stage_history h CROSS JOIN deals d{} \
         WHERE d.id = h.deal_id AND d.deleted = 0 AND h.from_stage IS NOT NULL AND h.from_entered_at IS NOT NULL",
        deal_contacts(f)
    ));
    range(&mut sql, "h.at", f.from, f.to);
    deal_scope(&mut sql, f);
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY h.from_stage");
    for (stage, total, n) in sql.query_as::<(String, Option<i64>, i64)>().fetch_all(db.pool()).await? {
        let e = out.entry(stage).or_default();
        (e.2, e.3) = (total.unwrap_or(0), n);
    }
    Ok(out)
}
