//! SQL for the reports: each query counts one kind of record over a [`Frame`] and groups it in
//! the database (indexed ranges, no row leaves the database that a count could replace).
//! Percentages and scores are computed from these counts in `build.rs`, never here.
//!
//! One file per family of figures: `reps.rs` (field work per rep), `deals.rs` (closed deals,
//! deals now, stage flow), `feedback.rs` (CSAT and NPS answers), `territories.rs` (per
//! territory), `listings.rs` (listings per status), `customers.rs` (customers, lifetime value,
//! referrals), `answers.rs` (the check-out form's answers), `by_field.rs` (contacts and deals per
//! answer of their own choice fields). This file holds the SQL pieces they share, the sums of the daily rollups
//! ([`rolled`]) and [`money`].

mod answers;
mod by_field;
mod customers;
mod deals;
mod feedback;
mod listings;
mod reps;
mod territories;

pub use answers::{visit_answers, visits_answering, Answered};
pub use by_field::{opened, won};
pub use customers::{customers, customers_of_everyone, lifetime_value, referrals};
pub use deals::{closed_deals, deals_now, stage_flow};
pub use feedback::{rep_scores, scores_by_bucket, scores_by_rep};
pub use listings::listings_by_status;
pub use reps::{calls, new_contacts, planned_once, planned_series, visits_done, visits_planned};
pub use territories::{
    territories, territory_contacts, territory_listings, territory_period, territory_visited,
    territory_visited_by_anyone, TerritoryCounts,
};

use super::frame::Frame;
use crate::db::{Db, Sql, StoreResult};
use crate::scope::Scope;
use fieldwork_app::common::{Money, UserId};
use std::collections::HashMap;

/// `(…)` with a placeholder per id; `(NULL)` (matches nothing) for none.
fn in_list<T: ToString>(sql: &mut Sql, ids: &[T]) -> String {
    if ids.is_empty() {
        return "(NULL)".into();
    }
    let list: Vec<String> = ids.iter().map(|id| sql.arg(id.to_string())).collect();
    format!("({})", list.join(", "))
}

/// ` AND col IN (…)` when the frame counts only some users' work.
fn attributed(sql: &mut Sql, f: &Frame, col: &str) {
    if let Some(ids) = &f.attributed {
        let list = in_list(sql, ids);
        sql.push(&format!(" AND {col} IN {list}"));
    }
}

/// The territory and segment filters, on contacts aliased `c`.
fn contact_filter(sql: &mut Sql, f: &Frame) {
    if let Some(t) = &f.territory {
        let p = sql.arg(t.as_str());
        sql.push(&format!(" AND c.territory_id = {p}"));
    }
    segment_filter(sql, f);
}

/// The segment filter (a tag, conditions on the contacts' own fields), on contacts aliased `c`.
fn segment_filter(sql: &mut Sql, f: &Frame) {
    if let Some(tag) = &f.tag {
        // Tags are a JSON array of lower-case strings.
        let p = sql.arg(format!("%{}%", serde_json::Value::String(tag.clone())));
        sql.push(&format!(" AND c.tags LIKE {p}"));
    }
    for condition in &f.custom {
        crate::fields::filter::push(sql, "c.id", condition);
    }
}

fn filters_contacts(f: &Frame) -> bool {
    f.territory.is_some() || f.segmented()
}

/// ` JOIN contacts c ON c.id = d.contact_id` when a figure about deals needs their contacts
/// (a filter, or a scope by territory); the whole company's figures skip a million lookups.
fn deal_contacts(f: &Frame) -> &'static str {
    if filters_contacts(f) || f.scope != Scope::All {
        " JOIN contacts c ON c.id = d.contact_id"
    } else {
        ""
    }
}

/// ` AND <scope>` over an owner column and a territory column.
fn scoped(sql: &mut Sql, scope: &Scope, owner: &str, territory: &str) {
    let (text, binds) = scope.predicate(owner, Some(territory), sql.next_index());
    sql.push(" AND ");
    sql.push_with(&text, binds);
}

fn range(sql: &mut Sql, col: &str, from: i64, to: i64) {
    let (a, b) = (sql.arg(from), sql.arg(to));
    sql.push(&format!(" AND {col} >= {a} AND {col} < {b}"));
}

/// `user id → count` from `(id, count)` rows.
fn by_key(rows: Vec<(String, i64)>) -> HashMap<String, i64> {
    rows.into_iter().collect()
}

/// The deals a company-level figure reads: the caller's scope, and the rep filter.
fn deal_scope(sql: &mut Sql, f: &Frame) {
    scoped(sql, &f.scope, "d.owner_id", "c.territory_id");
    attributed(sql, f, "d.owner_id");
}

/// Which rolled-up rows a [`rolled`] sum reads.
pub struct Rolled<'a> {
    pub metrics: &'a [&'a str],
    /// Whole UTC days `[from, to)` (see `rollup::DAY_MS`).
    pub days: (i64, i64),
    /// The column the sums are grouped by: `user_id`, `territory_id`, `metric` or `day`.
    pub by: &'static str,
    /// Only these users' rows (None: everyone's).
    pub users: Option<&'a [UserId]>,
    /// Only the rows the caller's scope covers (company-level figures).
    pub scoped: bool,
}

/// `(key, metric, currency) → (count, amount)` from the daily rollups, with the frame's
/// territory filter. The frame must have no segment filter (tags are not rolled up).
pub async fn rolled(db: &Db, f: &Frame, r: Rolled<'_>) -> StoreResult<HashMap<(String, String, String), (i64, i64)>> {
    let mut sql = Sql::new(&format!(
        "SELECT CAST(r.{by} AS TEXT), r.metric, r.currency, CAST(SUM(r.n) AS BIGINT), CAST(SUM(r.amount) AS BIGINT) \
         FROM report_days r WHERE ",
        by = r.by
    ));
    let metrics = in_list(&mut sql, r.metrics);
    sql.push(&format!("r.metric IN {metrics}"));
    range(&mut sql, "r.day", r.days.0, r.days.1);
    if let Some(users) = r.users {
        let list = in_list(&mut sql, users);
        sql.push(&format!(" AND r.user_id IN {list}"));
    }
    if let Some(t) = &f.territory {
        let p = sql.arg(t.as_str());
        sql.push(&format!(" AND r.territory_id = {p}"));
    }
    if r.scoped {
        scoped(&mut sql, &f.scope, "r.user_id", "r.territory_id");
    }
    sql.push(&format!(" GROUP BY r.{}, r.metric, r.currency", r.by));
    let rows: Vec<(String, String, String, i64, i64)> = sql.query_as().fetch_all(db.pool()).await?;
    Ok(rows.into_iter().map(|(k, m, c, n, a)| ((k, m, c), (n, a))).collect())
}

/// The money of `(currency, amount)` rows, summed per currency, in currency order.
pub fn money(rows: impl IntoIterator<Item = (String, i64)>) -> Vec<Money> {
    let mut sums: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
    for (currency, amount) in rows {
        *sums.entry(currency).or_default() += amount;
    }
    sums.into_iter().filter_map(|(c, a)| Money::new(a, &c).ok()).collect()
}
