//! Listings per status: how many, and how long they have been on the market.

use super::{attributed, scoped};
use crate::db::{Db, Sql, StoreResult};
use crate::reports::frame::Frame;

/// Listings in scope per status: count, and (for those on the market or sold/rented) the total
/// ms on the market up to the frame's end and how many that total covers — from when each first
/// went on the market and was first sold or rented (kept from its status history by the
/// rollups' triggers).
pub async fn listings_by_status(db: &Db, f: &Frame) -> StoreResult<Vec<(String, i64, i64, i64)>> {
    let mut sql = Sql::new("SELECT l.status, CAST(COUNT(*) AS BIGINT), ");
    let end = sql.arg(f.to);
    sql.push(&format!(
        "CAST(SUM(CASE WHEN l.listed_at IS NOT NULL AND l.status IN ('available', 'under_offer', 'sold', 'rented') \
         THEN COALESCE(l.closed_at, {end}) - l.listed_at ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN l.listed_at IS NOT NULL AND l.status IN ('available', 'under_offer', 'sold', 'rented') \
         THEN 1 ELSE 0 END) AS BIGINT) \
         FROM listings l WHERE l.deleted = 0 AND l.created_at < {end}"
    ));
    scoped(&mut sql, &f.scope, "l.agent_id", "l.territory_id");
    attributed(&mut sql, f, "l.agent_id");
    if let Some(t) = &f.territory {
        let p = sql.arg(t.as_str());
        sql.push(&format!(" AND l.territory_id = {p}"));
    }
    if let Some(kind) = f.listing_kind {
        let p = sql.arg(kind.as_str());
        sql.push(&format!(" AND l.kind = {p}"));
    }
    sql.push(" GROUP BY l.status");
    let rows: Vec<(String, i64, Option<i64>, Option<i64>)> = sql.query_as().fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(|(s, n, ms, k)| (s, n, ms.unwrap_or(0), k.unwrap_or(0))).collect())
}
