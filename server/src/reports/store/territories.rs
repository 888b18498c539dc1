//! Per territory: which territories a frame reports on, their contacts, coverage (contacts
//! visited), visits and new contacts in the frame, listings on the market.

use super::{attributed, by_key, in_list, range, segment_filter};
use crate::db::{Db, Sql, StoreResult};
use crate::reports::frame::Frame;
use std::collections::HashMap;

/// Per territory: contacts, contacts visited since `coverage_from`, visits and new contacts in
/// the frame, listings on the market.
#[derive(Debug, Default, Clone, Copy)]
pub struct TerritoryCounts {
    pub contacts: i64,
    pub visited: i64,
    pub visits: i64,
    pub new_contacts: i64,
    pub listings: i64,
}

/// The territories a frame reports on, by name: the caller's (all for a company-wide scope),
/// or the one filtered.
pub async fn territories(db: &Db, f: &Frame) -> StoreResult<Vec<(String, String)>> {
    let mut sql = Sql::new("SELECT t.id, t.name FROM territories t WHERE t.deleted = 0");
    if let Some(t) = &f.territory {
        let p = sql.arg(t.as_str());
        sql.push(&format!(" AND t.id = {p}"));
    }
    if let Some(parts) = f.scope.parts(db).await? {
        let ids: Vec<String> =
            parts.into_iter().filter(|(p, _)| *p == crate::scope::Part::Territory).map(|(_, id)| id).collect();
        let list: Vec<String> = ids.into_iter().map(|id| sql.arg(id)).collect();
        sql.push(&format!(" AND t.id IN ({})", if list.is_empty() { "NULL".into() } else { list.join(", ") }));
    }
    sql.push(" ORDER BY t.name, t.id");
    Ok(sql.query_as().fetch_all(db.pool()).await?)
}

/// Live (not archived) contacts per territory.
pub async fn territory_contacts(db: &Db, f: &Frame, ids: &[String]) -> StoreResult<HashMap<String, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = Sql::new(
        "SELECT c.territory_id, CAST(COUNT(*) AS BIGINT) FROM contacts c WHERE c.deleted = 0 AND c.archived = 0",
    );
    per_territory(db, sql, f, ids, None).await
}

/// The counts of `sql` (a `SELECT c.territory_id, COUNT …` over contacts `c` with its own
/// conditions) for the territories `ids`, attributed to the frame's users by `user_col`, in the
/// frame's segment, per territory.
async fn per_territory(
    db: &Db,
    mut sql: Sql,
    f: &Frame,
    ids: &[String],
    user_col: Option<&str>,
) -> StoreResult<HashMap<String, i64>> {
    let l = in_list(&mut sql, ids);
    sql.push(&format!(" AND c.territory_id IN {l}"));
    if let Some(col) = user_col {
        attributed(&mut sql, f, col);
    }
    segment_filter(&mut sql, f);
    sql.push(" GROUP BY c.territory_id");
    Ok(by_key(sql.query_as().fetch_all(db.pool()).await?))
}

/// Per territory: contacts visited in `[coverage_from, to)` by the frame's users.
pub async fn territory_visited(db: &Db, f: &Frame, ids: &[String]) -> StoreResult<HashMap<String, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Sql::new(
        "SELECT c.territory_id, CAST(COUNT(DISTINCT v.contact_id) AS BIGINT) FROM visits v \
         JOIN contacts c ON c.id = v.contact_id WHERE v.deleted = 0 AND c.deleted = 0",
    );
    range(&mut sql, "v.check_in_at", f.coverage_from, f.to);
    per_territory(db, sql, f, ids, Some("v.rep_id")).await
}

/// [`territory_visited`] for a frame that counts everyone's visits, from each contact's last
/// visit (kept by the rollups' triggers): those last visited in the window, and those last
/// visited after it that were also visited in it — index ranges, not a join per visit.
pub async fn territory_visited_by_anyone(db: &Db, f: &Frame, ids: &[String]) -> StoreResult<HashMap<String, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Sql::new("SELECT c.territory_id, CAST(COUNT(*) AS BIGINT) FROM contacts c WHERE c.deleted = 0");
    range(&mut sql, "c.last_visit_at", f.coverage_from, f.to);
    let mut out = per_territory(db, sql, f, ids, None).await?;
    let mut sql = Sql::new(
        "SELECT c.territory_id, CAST(COUNT(*) AS BIGINT) FROM contacts c WHERE c.deleted = 0 \
         AND EXISTS (SELECT 1 FROM visits v WHERE v.contact_id = c.id AND v.deleted = 0",
    );
    range(&mut sql, "v.check_in_at", f.coverage_from, f.to);
    let to = sql.arg(f.to);
    sql.push(&format!(") AND c.last_visit_at >= {to}"));
    for (id, n) in per_territory(db, sql, f, ids, None).await? {
        *out.entry(id).or_default() += n;
    }
    Ok(out)
}

/// Per territory: listings on the market.
pub async fn territory_listings(db: &Db, f: &Frame, ids: &[String]) -> StoreResult<HashMap<String, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Sql::new(
        "SELECT l.territory_id, CAST(COUNT(*) AS BIGINT) FROM listings l \
         WHERE l.deleted = 0 AND l.status IN ('available', 'under_offer')",
    );
    let l = in_list(&mut sql, ids);
    sql.push(&format!(" AND l.territory_id IN {l}"));
    attributed(&mut sql, f, "l.agent_id");
    if let Some(kind) = f.listing_kind {
        let p = sql.arg(kind.as_str());
        sql.push(&format!(" AND l.kind = {p}"));
    }
    sql.push(" GROUP BY l.territory_id");
    Ok(by_key(sql.query_as().fetch_all(db.pool()).await?))
}

/// Per territory: visits and new contacts in the frame (the period's counts of
/// [`TerritoryCounts`]).
pub async fn territory_period(db: &Db, f: &Frame, ids: &[String]) -> StoreResult<HashMap<String, (i64, i64)>> {
    let mut out: HashMap<String, (i64, i64)> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut sql = Sql::new(
        "SELECT c.territory_id, CAST(COUNT(*) AS BIGINT) FROM visits v JOIN contacts c ON c.id = v.contact_id \
         WHERE v.deleted = 0",
    );
    range(&mut sql, "v.check_in_at", f.from, f.to);
    for (id, n) in per_territory(db, sql, f, ids, Some("v.rep_id")).await? {
        out.entry(id).or_default().0 = n;
    }
    let mut sql = Sql::new("SELECT c.territory_id, CAST(COUNT(*) AS BIGINT) FROM contacts c WHERE c.deleted = 0");
    range(&mut sql, "c.created_at", f.from, f.to);
    for (id, n) in per_territory(db, sql, f, ids, Some("c.owner_id")).await? {
        out.entry(id).or_default().1 = n;
    }
    Ok(out)
}
