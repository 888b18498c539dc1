//! SQL for deals. A deal is in scope when its owner is, or its contact lies in one of the
//! caller's territories. Writes are private to the domain: they go through [`super::actions`].

use crate::db::{from_ms, now_ms, parse_col, parse_id, parse_opt_id, Db, Sql, StoreError, StoreResult, WriteTx};
use crate::scope::Scope;
use fieldwork_app::common::{DealId, Money, UserId};
use fieldwork_app::deals::{Deal, DealBoard, DealChanges, DealStage, NewDeal, StageTotal};
use fieldwork_app::fields::CustomValues;

const COLUMNS: &str = "d.id, d.contact_id, c.name AS contact_name, d.listing_id, d.title, d.stage, d.lost_reason, \
    d.value_amount, d.value_currency, d.expected_close, d.owner_id, d.stage_changed_at, d.custom, d.version, d.created_at, d.updated_at";
const FROM: &str = "deals d JOIN contacts c ON c.id = d.contact_id";

#[derive(sqlx::FromRow)]
struct DealRow {
    id: String,
    contact_id: String,
    contact_name: String,
    listing_id: Option<String>,
    title: String,
    stage: String,
    lost_reason: Option<String>,
    value_amount: i64,
    value_currency: String,
    expected_close: Option<String>,
    owner_id: Option<String>,
    stage_changed_at: i64,
    custom: String,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<DealRow> for Deal {
    type Error = StoreError;
    fn try_from(r: DealRow) -> StoreResult<Deal> {
        Ok(Deal {
            id: parse_id(&r.id, "deals.id")?,
            contact_id: parse_id(&r.contact_id, "deals.contact_id")?,
            contact_name: r.contact_name,
            listing_id: parse_opt_id(r.listing_id.as_deref(), "deals.listing_id")?,
            title: r.title,
            stage: parse_col(DealStage::parse_field(&r.stage), "deals.stage")?,
            lost_reason: r.lost_reason,
            value: parse_col(Money::new(r.value_amount, &r.value_currency), "deals.value")?,
            expected_close: r.expected_close.as_deref().and_then(|d| d.parse().ok()),
            owner_id: parse_opt_id(r.owner_id.as_deref(), "deals.owner_id")?,
            stage_changed_at: from_ms(r.stage_changed_at),
            custom: parse_col(serde_json::from_str(&r.custom), "deals.custom")?,
            version: r.version,
            created_at: from_ms(r.created_at),
            updated_at: from_ms(r.updated_at),
        })
    }
}

fn scoped(sql: &mut Sql, scope: &Scope) {
    sql.push(" AND ");
    let (scope_sql, binds) = scope.predicate("d.owner_id", Some("c.territory_id"), sql.next_index());
    sql.push_with(&scope_sql, binds);
}

pub async fn get<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    scope: &Scope,
    id: DealId,
) -> StoreResult<Deal> {
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM {FROM} WHERE d.deleted = 0 AND d.id = "));
    let p = sql.arg(id.to_string());
    sql.push(&p);
    scoped(&mut sql, scope);
    let row: Option<DealRow> = sql.query_as().fetch_optional(exec).await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// Which deals the board shows.
#[derive(Debug, Default, Clone)]
pub struct DealFilter {
    pub stage: Option<DealStage>,
    pub owner: Option<UserId>,
    pub contact: Option<String>,
    /// Closed deals older than this (ms) are left out; open deals always show.
    pub closed_since: Option<i64>,
}

fn filtered(sql: &mut Sql, filter: &DealFilter, with_stage: bool) {
    if let (true, Some(stage)) = (with_stage, filter.stage) {
        let p = sql.arg(stage.as_str());
        sql.push(&format!(" AND d.stage = {p}"));
    }
    if let Some(owner) = filter.owner {
        let p = sql.arg(owner.to_string());
        sql.push(&format!(" AND d.owner_id = {p}"));
    }
    if let Some(contact) = &filter.contact {
        let p = sql.arg(contact.as_str());
        sql.push(&format!(" AND d.contact_id = {p}"));
    }
    if let Some(since) = filter.closed_since {
        let p = sql.arg(since);
        sql.push(&format!(" AND (d.stage NOT IN ('won', 'lost') OR d.stage_changed_at >= {p})"));
    }
}

/// One page of deals (latest stage change first) and the totals per stage and currency of
/// everything the filter matches.
pub async fn board(
    db: &Db,
    scope: &Scope,
    filter: &DealFilter,
    limit: i64,
    after: Option<(i64, String)>,
) -> StoreResult<DealBoard> {
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM {FROM} WHERE d.deleted = 0"));
    filtered(&mut sql, filter, true);
    if let Some((at, id)) = after {
        let (a, i) = (sql.arg(at), sql.arg(id));
        sql.push(&format!(" AND (d.stage_changed_at < {a} OR (d.stage_changed_at = {a} AND d.id < {i}))"));
    }
    scoped(&mut sql, scope);
    let l = sql.arg(limit + 1);
    sql.push(&format!(" ORDER BY d.stage_changed_at DESC, d.id DESC LIMIT {l}"));
    let rows: Vec<DealRow> = sql.query_as().fetch_all(db.pool()).await?;
    let mut items: Vec<Deal> = rows.into_iter().map(TryInto::try_into).collect::<StoreResult<_>>()?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(usize::try_from(limit).unwrap_or(0));
        items
            .last()
            .map(|d| crate::cursor::encode(&[&d.stage_changed_at.timestamp_millis().to_string(), &d.id.to_string()]))
    } else {
        None
    };
    let mut sql = Sql::new(&format!(
        "SELECT d.stage, d.value_currency, CAST(COUNT(*) AS BIGINT), CAST(SUM(d.value_amount) AS BIGINT) FROM {FROM} \
         WHERE d.deleted = 0"
    ));
    filtered(&mut sql, filter, false);
    scoped(&mut sql, scope);
    sql.push(" GROUP BY d.stage, d.value_currency");
    let rows: Vec<(String, String, i64, i64)> = sql.query_as().fetch_all(db.pool()).await?;
    let mut totals: Vec<StageTotal> = rows
        .into_iter()
        .filter_map(|(stage, currency, count, amount)| {
            DealStage::parse(&stage).map(|stage| StageTotal { stage, currency, count, amount })
        })
        .collect();
    totals.sort_by_key(|t| (DealStage::ALL.iter().position(|s| *s == t.stage), t.currency.clone()));
    Ok(DealBoard { items, totals, next_cursor })
}

/// Records that deal `id` entered stage `to` (leaving `from`, entered at `from_entered_at`).
async fn record_stage(
    tx: &mut WriteTx,
    id: DealId,
    from: Option<(DealStage, i64)>,
    to: DealStage,
    at: i64,
    by: Option<UserId>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO deal_stage_history (id, deal_id, from_stage, to_stage, at, from_entered_at, by_user_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(id.to_string())
    .bind(from.map(|(s, _)| s.as_str()))
    .bind(to.as_str())
    .bind(at)
    .bind(from.map(|(_, entered)| entered))
    .bind(by.map(|b| b.to_string()))
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A new deal owned by `owner` (its custom values checked by the caller), made by `by`; its
/// first stage goes into the stage history.
pub(super) async fn insert(
    tx: &mut WriteTx,
    d: &NewDeal,
    custom: &CustomValues,
    owner: Option<UserId>,
    by: Option<UserId>,
) -> StoreResult<Deal> {
    let version = tx.next_version().await?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO deals (id, contact_id, listing_id, title, stage, lost_reason, value_amount, value_currency, \
         expected_close, owner_id, stage_changed_at, created_at, updated_at, version, custom, deleted) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $11, $12, $13, 0)",
    )
    .bind(d.id.to_string())
    .bind(d.contact_id.to_string())
    .bind(d.listing_id.map(|l| l.to_string()))
    .bind(&d.title)
    .bind(d.stage.as_str())
    .bind(d.lost_reason.clone())
    .bind(d.value.amount())
    .bind(d.value.currency().as_str())
    .bind(d.expected_close.map(|c| c.to_string()))
    .bind(owner.map(|o| o.to_string()))
    .bind(now)
    .bind(version)
    .bind(crate::fields::json(custom))
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::unique(e, "a deal with this id already exists"))?;
    record_stage(tx, d.id, None, d.stage, now, by).await?;
    get(tx.conn(), &Scope::All, d.id).await
}

/// Applies `changes` (and the checked `stage` and custom values) made by `by`; a new stage goes
/// into the history.
pub(super) async fn update(
    tx: &mut WriteTx,
    current: &Deal,
    changes: &DealChanges,
    stage: DealStage,
    custom: &CustomValues,
    by: Option<UserId>,
) -> StoreResult<Deal> {
    let version = tx.next_version().await?;
    let now = now_ms();
    let value = changes.value.clone().unwrap_or_else(|| current.value.clone());
    let stage_changed_at = if stage == current.stage { current.stage_changed_at.timestamp_millis() } else { now };
    let lost_reason = if stage == DealStage::Lost {
        changes.lost_reason.clone().or_else(|| current.lost_reason.clone())
    } else {
        None
    };
    sqlx::query(
        "UPDATE deals SET title = $2, stage = $3, lost_reason = $4, value_amount = $5, value_currency = $6, \
         expected_close = $7, listing_id = $8, owner_id = $9, stage_changed_at = $10, updated_at = $11, version = $12, \
         custom = $13 WHERE id = $1",
    )
    .bind(current.id.to_string())
    .bind(changes.title.as_ref().unwrap_or(&current.title))
    .bind(stage.as_str())
    .bind(lost_reason)
    .bind(value.amount())
    .bind(value.currency().as_str())
    .bind(changes.expected_close.unwrap_or(current.expected_close).map(|c| c.to_string()))
    .bind(changes.listing_id.unwrap_or(current.listing_id).map(|l| l.to_string()))
    .bind(changes.owner_id.or(current.owner_id).map(|o| o.to_string()))
    .bind(stage_changed_at)
    .bind(now)
    .bind(version)
    .bind(crate::fields::json(custom))
    .execute(tx.conn())
    .await?;
    if stage != current.stage {
        let entered = current.stage_changed_at.timestamp_millis();
        record_stage(tx, current.id, Some((current.stage, entered)), stage, now, by).await?;
    }
    get(tx.conn(), &Scope::All, current.id).await
}

/// Deletes a deal (a tombstone).
pub(super) async fn delete(tx: &mut WriteTx, id: DealId) -> StoreResult<()> {
    Ok(crate::db::tombstone(tx, "deals", &id.to_string()).await?)
}
