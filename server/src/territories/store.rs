//! SQL for territories and their assignments. Territories are read by everyone signed in (the
//! map draws them all); writes are private to the domain: [`super::actions`] decides who may
//! change them.

use crate::db::{now_ms, parse_id, parse_opt_id, Db, Sql, StoreError, StoreResult, WriteTx};
use crate::scope::Scope;
use fieldwork_app::common::{TerritoryId, UserId};
use fieldwork_app::territories::{Assignee, Load, MapPoint, RepOption, Territory, TerritoryLoad, TerritoryStats};
use std::collections::HashMap;

const COLUMNS: &str = "id, name, colour, parent_id, geometry, version";

#[derive(sqlx::FromRow)]
struct TerritoryRow {
    id: String,
    name: String,
    colour: String,
    parent_id: Option<String>,
    geometry: String,
    version: i64,
}

impl TryFrom<TerritoryRow> for Territory {
    type Error = StoreError;
    fn try_from(r: TerritoryRow) -> StoreResult<Territory> {
        Ok(Territory {
            id: parse_id(&r.id, "territories.id")?,
            name: r.name,
            colour: r.colour,
            parent_id: parse_opt_id(r.parent_id.as_deref(), "territories.parent_id")?,
            geometry: serde_json::from_str(&r.geometry)
                .map_err(|e| StoreError::Corrupt(format!("territories.geometry: {e}")))?,
            version: r.version,
        })
    }
}

/// Every territory, by name.
pub async fn list<'e>(exec: impl sqlx::Executor<'e, Database = sqlx::Any>) -> StoreResult<Vec<Territory>> {
    let rows: Vec<TerritoryRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM territories WHERE deleted = 0 ORDER BY name, id"))
            .fetch_all(exec)
            .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

pub async fn get<'e>(exec: impl sqlx::Executor<'e, Database = sqlx::Any>, id: TerritoryId) -> StoreResult<Territory> {
    let row: Option<TerritoryRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM territories WHERE deleted = 0 AND id = $1"))
            .bind(id.to_string())
            .fetch_optional(exec)
            .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// How many territories there are (for the next default colour).
pub async fn count<'e>(exec: impl sqlx::Executor<'e, Database = sqlx::Any>) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM territories WHERE deleted = 0").fetch_one(exec).await?)
}

/// A new territory with an already checked geometry.
pub(super) async fn insert(
    tx: &mut WriteTx,
    name: &str,
    colour: &str,
    parent: Option<TerritoryId>,
    geometry: &serde_json::Value,
) -> StoreResult<Territory> {
    let id = TerritoryId::new();
    let version = tx.next_version().await?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO territories (id, name, colour, parent_id, geometry, created_at, updated_at, version, deleted) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7, 0)",
    )
    .bind(id.to_string())
    .bind(name)
    .bind(colour)
    .bind(parent.map(|p| p.to_string()))
    .bind(geometry.to_string())
    .bind(now)
    .bind(version)
    .execute(tx.conn())
    .await?;
    get(tx.conn(), id).await
}

/// Writes every field of `t` (already merged with the changes and checked).
pub(super) async fn update(tx: &mut WriteTx, t: &Territory) -> StoreResult<Territory> {
    let version = tx.next_version().await?;
    sqlx::query(
        "UPDATE territories SET name = $2, colour = $3, parent_id = $4, geometry = $5, updated_at = $6, version = $7 \
         WHERE id = $1 AND deleted = 0",
    )
    .bind(t.id.to_string())
    .bind(&t.name)
    .bind(&t.colour)
    .bind(t.parent_id.map(|p| p.to_string()))
    .bind(t.geometry.to_string())
    .bind(now_ms())
    .bind(version)
    .execute(tx.conn())
    .await?;
    get(tx.conn(), t.id).await
}

/// Deletes a territory (a tombstone): its sub-territories leave the region, its current
/// assignments end today.
pub(super) async fn delete(tx: &mut WriteTx, id: TerritoryId, today: chrono::NaiveDate) -> StoreResult<()> {
    let version = tx.next_version().await?;
    let now = now_ms();
    sqlx::query("UPDATE territories SET deleted = 1, updated_at = $2, version = $3 WHERE id = $1")
        .bind(id.to_string())
        .bind(now)
        .bind(version)
        .execute(tx.conn())
        .await?;
    sqlx::query("UPDATE territories SET parent_id = NULL, updated_at = $2, version = $3 WHERE parent_id = $1")
        .bind(id.to_string())
        .bind(now)
        .bind(version)
        .execute(tx.conn())
        .await?;
    end_assignments(tx, id, &[], today).await
}

/// Whether making `parent` the region of `id` would make a territory its own ancestor.
pub async fn would_cycle(tx: &mut WriteTx, id: TerritoryId, parent: TerritoryId) -> StoreResult<bool> {
    let mut at = Some(parent);
    let mut steps = 0;
    while let Some(current) = at {
        if current == id {
            return Ok(true);
        }
        steps += 1;
        if steps > 64 {
            return Ok(true);
        }
        at = get(tx.conn(), current).await?.parent_id;
    }
    Ok(false)
}

#[derive(sqlx::FromRow)]
struct AssigneeRow {
    user_id: String,
    name: String,
    starts_on: String,
    ends_on: Option<String>,
}

fn date(raw: &str, column: &str) -> StoreResult<chrono::NaiveDate> {
    raw.parse().map_err(|_| StoreError::Corrupt(format!("{column}: {raw}")))
}

impl TryFrom<AssigneeRow> for Assignee {
    type Error = StoreError;
    fn try_from(r: AssigneeRow) -> StoreResult<Assignee> {
        Ok(Assignee {
            user_id: parse_id(&r.user_id, "territory_assignments.user_id")?,
            name: r.name,
            starts_on: date(&r.starts_on, "territory_assignments.starts_on")?,
            ends_on: r.ends_on.as_deref().map(|d| date(d, "territory_assignments.ends_on")).transpose()?,
        })
    }
}

/// The assignments of a territory that have not ended by `today` (current and future).
pub async fn assignees<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    id: TerritoryId,
    today: chrono::NaiveDate,
) -> StoreResult<Vec<Assignee>> {
    let rows: Vec<AssigneeRow> = sqlx::query_as(
        "SELECT a.user_id, u.name, a.starts_on, a.ends_on FROM territory_assignments a JOIN users u ON u.id = a.user_id \
         WHERE a.territory_id = $1 AND a.deleted = 0 AND (a.ends_on IS NULL OR a.ends_on > $2) ORDER BY u.name, a.starts_on",
    )
    .bind(id.to_string())
    .bind(today.to_string())
    .fetch_all(exec)
    .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

/// Ends (today) the open assignments of users not in `keep`; ones that had not started yet
/// are removed. History before today is untouched.
pub(super) async fn end_assignments(
    tx: &mut WriteTx,
    id: TerritoryId,
    keep: &[UserId],
    today: chrono::NaiveDate,
) -> StoreResult<()> {
    let open = assignees(tx.conn(), id, today).await?;
    for a in open.iter().filter(|a| !keep.contains(&a.user_id)) {
        let version = tx.next_version().await?;
        let (sql, end) = if a.starts_on >= today {
            (
                "UPDATE territory_assignments SET deleted = 1, updated_at = $4, version = $5 \
              WHERE territory_id = $1 AND user_id = $2 AND starts_on = $3 AND deleted = 0",
                None,
            )
        } else {
            (
                "UPDATE territory_assignments SET ends_on = $6, updated_at = $4, version = $5 \
              WHERE territory_id = $1 AND user_id = $2 AND starts_on = $3 AND deleted = 0",
                Some(today.to_string()),
            )
        };
        let mut q = sqlx::query(sql)
            .bind(id.to_string())
            .bind(a.user_id.to_string())
            .bind(a.starts_on.to_string())
            .bind(now_ms())
            .bind(version);
        if let Some(end) = end {
            q = q.bind(end);
        }
        q.execute(tx.conn()).await?;
    }
    Ok(())
}

/// Sets a user's open assignment to a territory to these dates, or adds one.
pub(super) async fn upsert_assignment(
    tx: &mut WriteTx,
    id: TerritoryId,
    user: UserId,
    starts_on: chrono::NaiveDate,
    ends_on: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
) -> StoreResult<()> {
    let version = tx.next_version().await?;
    let now = now_ms();
    let open: Option<String> = sqlx::query_scalar(
        "SELECT id FROM territory_assignments WHERE territory_id = $1 AND user_id = $2 AND deleted = 0 \
         AND (ends_on IS NULL OR ends_on > $3) ORDER BY starts_on LIMIT 1",
    )
    .bind(id.to_string())
    .bind(user.to_string())
    .bind(today.to_string())
    .fetch_optional(tx.conn())
    .await?;
    match open {
        Some(existing) => {
            sqlx::query(
                "UPDATE territory_assignments SET starts_on = $2, ends_on = $3, updated_at = $4, version = $5 WHERE id = $1",
            )
            .bind(existing)
            .bind(starts_on.to_string())
            .bind(ends_on.map(|d| d.to_string()))
            .bind(now)
            .bind(version)
            .execute(tx.conn())
            .await?;
        }
        None => {
            sqlx::query(
                "INSERT INTO territory_assignments (id, territory_id, user_id, starts_on, ends_on, created_at, updated_at, \
                 version, deleted) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, 0)",
            )
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(id.to_string())
            .bind(user.to_string())
            .bind(starts_on.to_string())
            .bind(ends_on.map(|d| d.to_string()))
            .bind(now)
            .bind(version)
            .execute(tx.conn())
            .await?;
        }
    }
    Ok(())
}

/// Counts for a territory's card: contacts, listings, open deals of its contacts, visits of
/// its contacts since `since_ms`, and the reps assigned today.
pub async fn stats(
    db: &crate::db::Db,
    id: TerritoryId,
    since_ms: i64,
    today: chrono::NaiveDate,
) -> StoreResult<TerritoryStats> {
    let id_text = id.to_string();
    let count = |sql: &'static str, with_since: bool| {
        let id_text = id_text.clone();
        async move {
            let mut q = sqlx::query_scalar::<_, i64>(sql).bind(id_text);
            if with_since {
                q = q.bind(since_ms);
            }
            q.fetch_one(db.pool()).await
        }
    };
    let contacts = count("SELECT COUNT(*) FROM contacts WHERE territory_id = $1 AND deleted = 0", false).await?;
    let listings = count("SELECT COUNT(*) FROM listings WHERE territory_id = $1 AND deleted = 0", false).await?;
    let open_deals = count(
        "SELECT COUNT(*) FROM deals d JOIN contacts c ON c.id = d.contact_id WHERE c.territory_id = $1 \
         AND d.deleted = 0 AND d.stage NOT IN ('won', 'lost')",
        false,
    )
    .await?;
    let visits_30_days = count(
        "SELECT COUNT(*) FROM visits v JOIN contacts c ON c.id = v.contact_id WHERE c.territory_id = $1 \
         AND v.deleted = 0 AND v.check_in_at >= $2",
        true,
    )
    .await?;
    let reps = assignees(db.pool(), id, today).await?.into_iter().filter(|a| a.starts_on <= today).collect();
    Ok(TerritoryStats { contacts, listings, open_deals, visits_30_days, reps })
}

/// The workload of the territories in `region` (all territories without one): contacts,
/// visits to their contacts since `since_ms`, and reps assigned on `today`. Three grouped
/// queries, not one per territory.
pub async fn workload(
    db: &crate::db::Db,
    region: Option<TerritoryId>,
    since_ms: i64,
    today: chrono::NaiveDate,
) -> StoreResult<Vec<TerritoryLoad>> {
    let territories: Vec<(String, String)> = match region {
        Some(r) => {
            sqlx::query_as("SELECT id, name FROM territories WHERE deleted = 0 AND parent_id = $1 ORDER BY name")
                .bind(r.to_string())
                .fetch_all(db.pool())
                .await?
        }
        None => {
            sqlx::query_as("SELECT id, name FROM territories WHERE deleted = 0 ORDER BY name")
                .fetch_all(db.pool())
                .await?
        }
    };
    let contacts: HashMap<String, i64> = sqlx::query_as::<_, (String, i64)>(
        "SELECT territory_id, COUNT(*) FROM contacts WHERE deleted = 0 AND territory_id IS NOT NULL GROUP BY territory_id",
    )
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .collect();
    let visits: HashMap<String, i64> = sqlx::query_as::<_, (String, i64)>(
        "SELECT c.territory_id, COUNT(*) FROM visits v JOIN contacts c ON c.id = v.contact_id \
         WHERE v.deleted = 0 AND v.check_in_at >= $1 AND c.territory_id IS NOT NULL GROUP BY c.territory_id",
    )
    .bind(since_ms)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .collect();
    let reps: HashMap<String, i64> = sqlx::query_as::<_, (String, i64)>(
        "SELECT territory_id, COUNT(DISTINCT user_id) FROM territory_assignments WHERE deleted = 0 \
         AND starts_on <= $1 AND (ends_on IS NULL OR ends_on > $1) GROUP BY territory_id",
    )
    .bind(today.to_string())
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .collect();
    territories
        .into_iter()
        .map(|(id, name)| {
            Ok(TerritoryLoad {
                territory_id: parse_id(&id, "territories.id")?,
                name,
                contacts: contacts.get(&id).copied().unwrap_or(0),
                visits_30_days: visits.get(&id).copied().unwrap_or(0),
                reps: reps.get(&id).copied().unwrap_or(0),
                contacts_per_rep: 0.0,
                visits_per_rep: 0.0,
                score: 0.0,
                load: Load::Even,
            })
        })
        .collect()
}

/// Active reps, by name (the caller filters by scope).
pub async fn active_reps(db: &crate::db::Db) -> StoreResult<Vec<RepOption>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name FROM users WHERE role = 'rep' AND active = 1 ORDER BY name, id")
            .fetch_all(db.pool())
            .await?;
    rows.into_iter().map(|(id, name)| Ok(RepOption { id: parse_id(&id, "users.id")?, name })).collect()
}

/// What the map draws as points: the records placed in territories by their position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    Contacts,
    Listings,
}

impl Placed {
    /// Table, the column shown as the point's name, the owner column scope checks, more conditions.
    fn columns(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            // Archived contacts are kept, not worked: the map leaves them out.
            Placed::Contacts => ("contacts", "name", "owner_id", " AND archived = 0"),
            Placed::Listings => ("listings", "title", "agent_id", ""),
        }
    }
}

/// Up to `limit` records with a position inside `bounds` (west, south, east, north) in the
/// caller's scope, found through the position index.
pub async fn points(db: &Db, scope: &Scope, of: Placed, bounds: [f64; 4], limit: i64) -> StoreResult<Vec<MapPoint>> {
    let (table, name, owner, more) = of.columns();
    let [west, south, east, north] = bounds;
    let mut sql = Sql::new(&format!(
        "SELECT id, {name}, lat, lon, territory_id FROM {table} WHERE deleted = 0{more} AND lat BETWEEN "
    ));
    let (s, n, w, e) = (sql.arg(south), sql.arg(north), sql.arg(west), sql.arg(east));
    sql.push(&format!("{s} AND {n} AND lon BETWEEN {w} AND {e} AND "));
    let (scope_sql, binds) = scope.predicate(owner, Some("territory_id"), sql.next_index());
    sql.push_with(&scope_sql, binds);
    let limit = sql.arg(limit);
    sql.push(" LIMIT ").push(&limit);
    let rows: Vec<(String, String, f64, f64, Option<String>)> = sql.query_as().fetch_all(db.pool()).await?;
    let column = format!("{table}.territory_id");
    rows.into_iter()
        .map(|(id, name, lat, lon, territory)| {
            Ok(MapPoint { id, name, lat, lon, territory_id: parse_opt_id(territory.as_deref(), &column)? })
        })
        .collect()
}
