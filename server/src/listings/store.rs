//! SQL for listings. Every read applies the caller's [`Scope`] (agent and territory).

use crate::db::{parse_col, parse_id, parse_opt_id, Db, StoreError, StoreResult};
use crate::scope::Scope;
use fieldwork_app::common::{GeoPoint, Money, Page};
use fieldwork_app::listings::{ListingKind, ListingStatus, ListingSummary, Transaction};

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    reference: String,
    title: String,
    kind: String,
    transaction_type: String,
    status: String,
    price_amount: i64,
    price_currency: String,
    bedrooms: Option<i64>,
    area_m2: Option<f64>,
    address: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    territory_id: Option<String>,
    agent_id: Option<String>,
    version: i64,
}

fn parse_kind(raw: &str) -> Option<ListingKind> {
    serde_json::from_value(serde_json::Value::String(raw.into())).ok()
}

fn parse_transaction(raw: &str) -> Option<Transaction> {
    serde_json::from_value(serde_json::Value::String(raw.into())).ok()
}

impl TryFrom<SummaryRow> for ListingSummary {
    type Error = StoreError;
    fn try_from(r: SummaryRow) -> StoreResult<ListingSummary> {
        Ok(ListingSummary {
            id: parse_id(&r.id, "listings.id")?,
            reference: r.reference,
            title: r.title,
            kind: parse_col(parse_kind(&r.kind).ok_or("unknown"), "listings.kind")?,
            transaction: parse_col(
                parse_transaction(&r.transaction_type).ok_or("unknown"),
                "listings.transaction_type",
            )?,
            status: parse_col(ListingStatus::parse(&r.status).ok_or("unknown"), "listings.status")?,
            price: parse_col(Money::new(r.price_amount, &r.price_currency), "listings.price")?,
            bedrooms: r.bedrooms.and_then(|b| i32::try_from(b).ok()),
            area_m2: r.area_m2,
            address: r.address,
            location: r.lat.zip(r.lon).and_then(|(lat, lon)| GeoPoint::new(lat, lon).ok()),
            territory_id: parse_opt_id(r.territory_id.as_deref(), "listings.territory_id")?,
            agent_id: parse_opt_id(r.agent_id.as_deref(), "listings.agent_id")?,
            version: r.version,
        })
    }
}

/// One page of listings in scope, newest first (keyset on the time-ordered id).
pub async fn list(db: &Db, scope: &Scope, limit: i64, before_id: Option<String>) -> StoreResult<Page<ListingSummary>> {
    let (scope_sql, scope_binds) = scope.predicate("agent_id", Some("territory_id"), 3);
    let sql = format!(
        "SELECT id, reference, title, kind, transaction_type, status, price_amount, price_currency, bedrooms, area_m2, \
         address, lat, lon, territory_id, agent_id, version FROM listings \
         WHERE deleted = 0 AND ($1 = '' OR id < $1) AND {scope_sql} ORDER BY id DESC LIMIT $2"
    );
    let mut query = sqlx::query_as::<_, SummaryRow>(&sql).bind(before_id.unwrap_or_default()).bind(limit + 1);
    for value in scope_binds {
        query = query.bind(value);
    }
    let rows = query.fetch_all(db.pool()).await?;
    let mut items: Vec<ListingSummary> = rows.into_iter().map(TryInto::try_into).collect::<StoreResult<_>>()?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(usize::try_from(limit).unwrap_or(0));
        items.last().map(|l| crate::cursor::encode(&[&l.id.to_string()]))
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}

/// The listing's title and position, when it is in the caller's scope (for appointments and
/// visits that refer to it).
pub async fn place<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    scope: &Scope,
    id: fieldwork_app::common::ListingId,
) -> StoreResult<(String, Option<GeoPoint>)> {
    let (scope_sql, binds) = scope.predicate("agent_id", Some("territory_id"), 2);
    let sql = format!("SELECT title, lat, lon FROM listings WHERE deleted = 0 AND id = $1 AND {scope_sql}");
    let row: Option<(String, Option<f64>, Option<f64>)> =
        binds.iter().fold(sqlx::query_as(&sql).bind(id.to_string()), |q, b| q.bind(b)).fetch_optional(exec).await?;
    let (title, lat, lon) = row.ok_or(StoreError::NotFound)?;
    Ok((title, lat.zip(lon).and_then(|(lat, lon)| GeoPoint::new(lat, lon).ok())))
}
