//! Customers: how many at a frame's start and end and won during it, their lifetime value,
//! and the share of new contacts that came by referral.

use super::{attributed, contact_filter, deal_contacts, deal_scope, range, scoped};
use crate::db::{Db, Sql, StoreResult};
use crate::reports::frame::Frame;

/// Customers (contacts with a won deal up to the frame's end): at its start, at its end (not
/// inactive), and won during it (not inactive).
pub async fn customers(db: &Db, f: &Frame) -> StoreResult<(i64, i64, i64)> {
    let mut inner = Sql::new(
        "SELECT d.contact_id, MIN(d.stage_changed_at) AS first_won, \
         MAX(CASE WHEN c.lifecycle = 'inactive' THEN 1 ELSE 0 END) AS inactive \
         FROM deals d JOIN contacts c ON c.id = d.contact_id WHERE d.deleted = 0 AND c.deleted = 0 AND d.stage = 'won'",
    );
    let to = inner.arg(f.to);
    inner.push(&format!(" AND d.stage_changed_at < {to}"));
    deal_scope(&mut inner, f);
    contact_filter(&mut inner, f);
    inner.push(" GROUP BY d.contact_id");
    let from = inner.arg(f.from);
    let text = format!(
        "SELECT CAST(COALESCE(SUM(CASE WHEN w.first_won < {from} THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN w.inactive = 0 THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN w.first_won >= {from} AND w.inactive = 0 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM ({}) w",
        inner.text()
    );
    inner.replace_text(&text);
    Ok(inner.query_as().fetch_one(db.pool()).await?)
}

/// [`customers`] for the whole company, from each contact's first won deal (kept by the
/// rollups' triggers): one range of an index of contacts instead of a join per won deal.
pub async fn customers_of_everyone(db: &Db, f: &Frame) -> StoreResult<(i64, i64, i64)> {
    let mut sql = Sql::new("");
    let from = sql.arg(f.from);
    let active = "CASE WHEN c.lifecycle = 'inactive' THEN 0 ELSE 1 END";
    sql.push(&format!(
        "SELECT CAST(COALESCE(SUM(CASE WHEN c.first_won_at < {from} THEN 1 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM({active}), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN c.first_won_at >= {from} THEN {active} ELSE 0 END), 0) AS BIGINT) \
         FROM contacts c WHERE c.deleted = 0"
    ));
    let to = sql.arg(f.to);
    sql.push(&format!(" AND c.first_won_at < {to}"));
    contact_filter(&mut sql, f);
    Ok(sql.query_as().fetch_one(db.pool()).await?)
}

/// Revenue from deals won up to the frame's end, and the customers it came from, per currency.
pub async fn lifetime_value(db: &Db, f: &Frame) -> StoreResult<Vec<(String, i64, i64)>> {
    let mut sql = Sql::new(&format!(
        "SELECT d.value_currency, CAST(SUM(d.value_amount) AS BIGINT), CAST(COUNT(DISTINCT d.contact_id) AS BIGINT) \
         FROM deals d{} WHERE d.deleted = 0 AND d.stage = 'won'",
        deal_contacts(f)
    ));
    let to = sql.arg(f.to);
    sql.push(&format!(" AND d.stage_changed_at < {to}"));
    deal_scope(&mut sql, f);
    contact_filter(&mut sql, f);
    sql.push(" GROUP BY d.value_currency ORDER BY d.value_currency");
    Ok(sql.query_as().fetch_all(db.pool()).await?)
}

/// Contacts created in the frame, and those of them that came by referral.
pub async fn referrals(db: &Db, f: &Frame) -> StoreResult<(i64, i64)> {
    let mut sql = Sql::new(
        "SELECT CAST(COUNT(*) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN LOWER(c.source) = 'referral' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM contacts c WHERE c.deleted = 0",
    );
    range(&mut sql, "c.created_at", f.from, f.to);
    scoped(&mut sql, &f.scope, "c.owner_id", "c.territory_id");
    attributed(&mut sql, f, "c.owner_id");
    contact_filter(&mut sql, f);
    Ok(sql.query_as().fetch_one(db.pool()).await?)
}
