//! The change feed a device pulls: every record of the user's scope changed after a version,
//! in version order, one page at a time.
//!
//! Versions come from one sequence taken under a row lock until commit (see the first
//! migration), so once version `v` is visible every smaller version is too: a page that ends
//! at `v` never skips a change that commits later.
//!
//! The cursor names the server epoch and the scope it was computed for: when either changed
//! (a restore, a new territory) the device starts over from a full snapshot (`reset`), which
//! also drops whatever left its scope. Between those, records changed since the cursor that
//! are deleted or no longer in scope come as `remove` (their id only, never their data).

use crate::db::{Db, Sql, StoreError, StoreResult};
use crate::scope::Scope;
use crate::{activities, appointments, contacts, listings, tasks, visits};
use fieldwork_app::common::{ActivityId, AppointmentId, ListingId, TaskId, UserId, VisitId};
use fieldwork_app::sync::{Change, ChangeOp, Entity};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Where an entity's rows are and which columns decide its scope (`x` is the entity's table).
struct Source {
    entity: Entity,
    from: &'static str,
    owner: &'static str,
    territory: Option<&'static str>,
}

const SOURCES: [Source; 7] = [
    Source { entity: Entity::Contact, from: "contacts x", owner: "x.owner_id", territory: Some("x.territory_id") },
    Source {
        entity: Entity::Activity,
        from: "activities x JOIN contacts c ON c.id = x.contact_id",
        owner: "c.owner_id",
        territory: Some("c.territory_id"),
    },
    Source { entity: Entity::Task, from: "tasks x", owner: "x.assignee_id", territory: None },
    Source { entity: Entity::Appointment, from: "appointments x", owner: "x.assignee_id", territory: None },
    Source { entity: Entity::Visit, from: "visits x", owner: "x.rep_id", territory: None },
    Source { entity: Entity::Listing, from: "listings x", owner: "x.agent_id", territory: Some("x.territory_id") },
    Source { entity: Entity::Conflict, from: "sync_conflicts x", owner: "x.user_id", territory: None },
];

/// The records a device of `user` keeps: their scope, except that office staff and admins
/// (whose scope is the whole company) keep only what is theirs — a desktop browser is not
/// the place for a million contacts.
pub fn device_scope(scope: &Scope, user: UserId, today: chrono::NaiveDate) -> Scope {
    match scope {
        Scope::All => Scope::Users(vec![user], today),
        users => users.clone(),
    }
}

/// A fingerprint of a scope's owners and current territories: it changes when the scope does.
pub async fn fingerprint(db: &Db, scope: &Scope) -> StoreResult<String> {
    let mut parts: Vec<String> =
        scope.parts(db).await?.unwrap_or_default().into_iter().map(|(part, id)| format!("{part:?}:{id}")).collect();
    parts.sort();
    Ok(hex::encode(&Sha256::digest(parts.join(",").as_bytes())[..8]))
}

/// One row of the feed before its record is read.
struct Row {
    entity: Entity,
    id: String,
    version: i64,
    put: bool,
}

/// Up to `limit` changes with versions in `(after, upto]`, in version order; true when more
/// wait. `upto` is a version read before (see [`committed`]): every version up to it has
/// committed, so each table's query — a statement of its own, seeing what has committed by
/// then — sees all of them, and the page cannot leave a gap behind it. A `full` pull (from
/// nothing) reads only live records in scope; an incremental one also finds records deleted or
/// moved out of scope since `after`.
pub async fn changes(
    db: &Db,
    scope: &Scope,
    conflicts_of: UserId,
    (after, upto): (i64, i64),
    limit: i64,
    full: bool,
) -> StoreResult<(Vec<Change>, bool)> {
    let mut rows = Vec::new();
    let mut more = false;
    for source in &SOURCES {
        let own = Scope::Users(vec![conflicts_of], chrono::NaiveDate::MIN);
        let scope = if source.entity == Entity::Conflict { &own } else { scope };
        let found = rows_of(db, source, scope, (after, upto), limit, full).await?;
        more |= found.len() as i64 >= limit;
        rows.extend(found);
    }
    rows.sort_by_key(|r| r.version);
    if rows.len() as i64 > limit {
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        more = true;
    }
    let mut conn = db.pool().acquire().await?;
    let mut changes = Vec::with_capacity(rows.len());
    for row in rows {
        let record = if row.put { record(&mut conn, conflicts_of, row.entity, &row.id).await? } else { None };
        // A record deleted between the two reads goes as a removal; the next pull has its tombstone.
        let op = if record.is_some() { ChangeOp::Put } else { ChangeOp::Remove };
        changes.push(Change { entity: row.entity, id: row.id, op, version: row.version, record });
    }
    Ok((changes, more))
}

async fn rows_of(
    db: &Db,
    source: &Source,
    scope: &Scope,
    (after, upto): (i64, i64),
    limit: i64,
    full: bool,
) -> StoreResult<Vec<Row>> {
    let mut sql = Sql::new("");
    let a = sql.arg(after);
    let u = sql.arg(upto);
    let l = sql.arg(limit);
    let (predicate, binds) = scope.predicate(source.owner, source.territory, sql.next_index());
    let from = source.from;
    let text = if full {
        format!(
            "SELECT x.id, x.version, CAST(1 AS BIGINT) FROM {from} WHERE x.version > {a} AND x.version <= {u} AND x.deleted = 0 AND {predicate} \
             ORDER BY x.version LIMIT {l}"
        )
    } else {
        format!(
            "SELECT x.id, x.version, CAST(CASE WHEN x.deleted = 0 AND {predicate} THEN 1 ELSE 0 END AS BIGINT) \
             FROM {from} WHERE x.version > {a} AND x.version <= {u} ORDER BY x.version LIMIT {l}"
        )
    };
    sql.push_with(&text, binds);
    let found: Vec<(String, i64, i64)> = sql.query_as().fetch_all(db.pool()).await?;
    Ok(found.into_iter().map(|(id, version, put)| Row { entity: source.entity, id, version, put: put == 1 }).collect())
}

/// The record's REST shape, or None when it is gone.
async fn record(
    conn: &mut sqlx::AnyConnection,
    user: UserId,
    entity: Entity,
    id: &str,
) -> StoreResult<Option<serde_json::Value>> {
    fn value<T: Serialize>(found: StoreResult<T>) -> StoreResult<Option<serde_json::Value>> {
        match found {
            Ok(r) => Ok(serde_json::to_value(r).ok()),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }
    let all = Scope::All;
    let Ok(uuid) = id.parse::<uuid::Uuid>() else { return Ok(None) };
    match entity {
        Entity::Contact => value(contacts::store::get(&mut *conn, &all, id).await),
        Entity::Activity => value(activities::store::get(&mut *conn, ActivityId(uuid)).await),
        Entity::Task => value(tasks::store::get(&mut *conn, &all, TaskId(uuid)).await),
        Entity::Appointment => value(appointments::store::get(&mut *conn, &all, AppointmentId(uuid)).await),
        Entity::Visit => value(visits::store::get(&mut *conn, &all, VisitId(uuid)).await),
        Entity::Listing => value(listings::store::get(&mut *conn, &all, ListingId(uuid)).await),
        Entity::Conflict => value(super::conflicts::get(&mut *conn, user, id).await),
    }
}

/// The last version handed out by a committed write (the sequence row is locked from a
/// write's first version until it commits, so none below it is still to come).
pub async fn committed(db: &Db) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT value FROM change_sequence WHERE id = 1").fetch_one(db.pool()).await?)
}

/// The server epoch (changed by a restore from backup).
pub async fn epoch(db: &Db) -> StoreResult<String> {
    Ok(sqlx::query_scalar("SELECT server_epoch FROM change_sequence WHERE id = 1").fetch_one(db.pool()).await?)
}
