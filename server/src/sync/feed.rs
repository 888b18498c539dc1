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

use crate::db::{Db, Engine, Sql, StoreError, StoreResult};
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
    /// For an entity with a territory: the row whose owner and territory decide its scope, for
    /// [`Scope::semi_join`].
    scoped_by: Option<ScopedBy>,
}

/// `key` names a row of `table`, whose `owner` and `territory` columns decide the scope.
struct ScopedBy {
    key: &'static str,
    table: &'static str,
    owner: &'static str,
    territory: &'static str,
}

const BY_CONTACT: ScopedBy = ScopedBy { key: "x.id", table: "contacts", owner: "owner_id", territory: "territory_id" };

const SOURCES: [Source; 7] = [
    Source {
        entity: Entity::Contact,
        from: "contacts x",
        owner: "x.owner_id",
        territory: Some("x.territory_id"),
        scoped_by: Some(BY_CONTACT),
    },
    Source {
        entity: Entity::Activity,
        from: "activities x JOIN contacts c ON c.id = x.contact_id",
        owner: "c.owner_id",
        territory: Some("c.territory_id"),
        scoped_by: Some(ScopedBy { key: "c.id", ..BY_CONTACT }),
    },
    Source { entity: Entity::Task, from: "tasks x", owner: "x.assignee_id", territory: None, scoped_by: None },
    Source {
        entity: Entity::Appointment,
        from: "appointments x",
        owner: "x.assignee_id",
        territory: None,
        scoped_by: None,
    },
    Source { entity: Entity::Visit, from: "visits x", owner: "x.rep_id", territory: None, scoped_by: None },
    Source {
        entity: Entity::Listing,
        from: "listings x",
        owner: "x.agent_id",
        territory: Some("x.territory_id"),
        scoped_by: Some(ScopedBy { key: "x.id", table: "listings", owner: "agent_id", territory: "territory_id" }),
    },
    Source { entity: Entity::Conflict, from: "sync_conflicts x", owner: "x.user_id", territory: None, scoped_by: None },
];

/// The records a device of `user` keeps: their scope, except that office staff and admins
/// (whose scope is the whole company) keep only what is theirs — a desktop browser is not
/// the place for a million contacts.
pub fn device_scope(scope: &Scope, user: UserId, today: chrono::NaiveDate) -> Scope {
    match scope {
        Scope::All => Scope::Users(vec![user], today),
        users @ Scope::Users(..) => users.clone(),
    }
}

/// A fingerprint of a scope's owners and current territories: it changes when the scope does.
pub async fn fingerprint(db: &Db, scope: &Scope) -> StoreResult<String> {
    let mut parts: Vec<String> =
        scope.parts(db).await?.unwrap_or_default().into_iter().map(|(part, id)| format!("{part:?}:{id}")).collect();
    parts.sort();
    Ok(hex::encode(&Sha256::digest(parts.join(",").as_bytes())[..8]))
}

/// A place in the feed: the sort key (version, source, id) of the last change a device has.
/// Versions are not unique — a bulk write (a territory handed over, an import batch) gives
/// many rows one version — so a page may end inside a version and the next one goes on from
/// the same version's next row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub version: i64,
    /// Index into the sources (entities); [`SOURCE_COUNT`] means past every source.
    pub source: usize,
    pub id: String,
}

/// How many entities the feed pages through.
pub const SOURCE_COUNT: usize = SOURCES.len();

impl Position {
    /// Before everything.
    pub fn start() -> Self {
        Position { version: 0, source: 0, id: String::new() }
    }

    /// After every change with a version up to `version`.
    pub fn end_of(version: i64) -> Self {
        Position { version, source: SOURCE_COUNT, id: String::new() }
    }
}

/// Where a device is in its feed. A first sync reads a **snapshot**: the live records in scope
/// with versions up to a horizon fixed when it began, page after page; then **changes** after
/// the horizon, including deletions and scope exits. Anything written while the snapshot is
/// being read has a version past the horizon and comes with the changes, so a record deleted
/// or handed away half-way through is never kept by the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    Snapshot { horizon: i64 },
    Changes,
}

/// A pull cursor: the epoch and scope it was made for, the phase and the position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedCursor {
    pub epoch: String,
    pub fingerprint: String,
    pub phase: Phase,
    pub after: Position,
}

impl FeedCursor {
    pub fn encode(&self) -> String {
        let (phase, horizon) = match self.phase {
            Phase::Snapshot { horizon } => ("snapshot", horizon),
            Phase::Changes => ("changes", 0),
        };
        crate::cursor::encode(&[
            &self.epoch,
            &self.fingerprint,
            phase,
            &horizon.to_string(),
            &self.after.version.to_string(),
            &self.after.source.to_string(),
            &self.after.id,
        ])
    }

    /// The cursor, or None when it is not one (a device of an older app sends another shape:
    /// it starts over).
    pub fn decode(raw: &str) -> Option<Self> {
        let parts = crate::cursor::decode(raw, 7)?;
        let number = |i: usize| parts[i].parse::<i64>().ok();
        let phase = match parts[2].as_str() {
            "snapshot" => Phase::Snapshot { horizon: number(3)? },
            "changes" => Phase::Changes,
            _ => return None,
        };
        let source = parts[5].parse::<usize>().ok().filter(|s| *s <= SOURCE_COUNT)?;
        Some(FeedCursor {
            epoch: parts[0].clone(),
            fingerprint: parts[1].clone(),
            phase,
            after: Position { version: number(4)?, source, id: parts[6].clone() },
        })
    }
}

/// One row of the feed before its record is read.
struct Row {
    entity: Entity,
    position: Position,
    put: bool,
}

/// A page of the feed: the changes, and where the last one is when more wait.
pub struct Page {
    pub changes: Vec<Change>,
    pub last: Option<Position>,
}

/// Up to `limit` changes after `after` with versions up to `upto`, in (version, entity, id)
/// order; `last` is set when more wait. `upto` is a version read before (see [`committed`]):
/// every version up to it has committed, so each table's query — a statement of its own,
/// seeing what has committed by then — sees all of them, and the page cannot leave a gap
/// behind it. A `snapshot` page reads only live records in scope; a page of changes also
/// finds records deleted or moved out of scope.
pub async fn changes(
    db: &Db,
    scope: &Scope,
    conflicts_of: UserId,
    (after, upto): (&Position, i64),
    limit: i64,
    snapshot: bool,
) -> StoreResult<Page> {
    let mut rows = rows(db, scope, conflicts_of, (after, upto), limit, snapshot).await?;
    // A source that filled its share may have more past it.
    let mut more = (0..SOURCE_COUNT).any(|i| rows.iter().filter(|r| r.position.source == i).count() as i64 >= limit);
    rows.sort_by(|a, b| a.position.cmp(&b.position));
    if rows.len() as i64 > limit {
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        more = true;
    }
    let last = more.then(|| rows.last().map(|r| r.position.clone())).flatten();
    let mut conn = db.pool().acquire().await?;
    let mut records = many(&mut conn, &rows).await?;
    let mut changes = Vec::with_capacity(rows.len());
    for row in rows {
        let id = row.position.id;
        let record = match (row.put, records.remove(&(row.entity, id.clone()))) {
            (false, _) => None,
            (true, Some(found)) => Some(found),
            // Not read in the batch (another entity, or gone since): one by one.
            (true, None) => record(&mut conn, conflicts_of, row.entity, &id).await?,
        };
        // A record deleted between the two reads goes as a removal; the next pull has its tombstone.
        let op = if record.is_some() { ChangeOp::Put } else { ChangeOp::Remove };
        changes.push(Change { entity: row.entity, id, op, version: row.position.version, record });
    }
    Ok(Page { changes, last })
}

/// The records of the page's puts, read in one statement per entity, by entity and id;
/// listings (few per device, each with its photos) and conflicts are read one by one.
async fn many(
    conn: &mut sqlx::AnyConnection,
    rows: &[Row],
) -> StoreResult<std::collections::HashMap<(Entity, String), serde_json::Value>> {
    fn keep<T: Serialize>(
        found: &mut std::collections::HashMap<(Entity, String), serde_json::Value>,
        entity: Entity,
        records: Vec<T>,
        id: impl Fn(&T) -> String,
    ) {
        for record in records {
            if let Ok(value) = serde_json::to_value(&record) {
                found.insert((entity, id(&record)), value);
            }
        }
    }
    let ids = |entity: Entity| -> Vec<String> {
        rows.iter().filter(|r| r.put && r.entity == entity).map(|r| r.position.id.clone()).collect()
    };
    let mut found = std::collections::HashMap::new();
    let contacts = contacts::store::get_many(&mut *conn, &ids(Entity::Contact)).await?;
    keep(&mut found, Entity::Contact, contacts, |r| r.id.to_string());
    let activities = activities::store::get_many(&mut *conn, &ids(Entity::Activity)).await?;
    keep(&mut found, Entity::Activity, activities, |r| r.id.to_string());
    let tasks = tasks::store::get_many(&mut *conn, &ids(Entity::Task)).await?;
    keep(&mut found, Entity::Task, tasks, |r| r.id.to_string());
    let appointments = appointments::store::get_many(&mut *conn, &ids(Entity::Appointment)).await?;
    keep(&mut found, Entity::Appointment, appointments, |r| r.id.to_string());
    let visits = visits::store::get_many(&mut *conn, &ids(Entity::Visit)).await?;
    keep(&mut found, Entity::Visit, visits, |r| r.id.to_string());
    Ok(found)
}

/// Up to `limit` rows of each source after the position, in one statement (a `UNION ALL` of
/// one query per source): a pull waits for a connection once, not once per table.
async fn rows(
    db: &Db,
    scope: &Scope,
    conflicts_of: UserId,
    (after, upto): (&Position, i64),
    limit: i64,
    snapshot: bool,
) -> StoreResult<Vec<Row>> {
    let mut sql = Sql::new("");
    let shared = (sql.arg(after.version), sql.arg(upto), sql.arg(limit));
    let own = Scope::Users(vec![conflicts_of], chrono::NaiveDate::MIN);
    let arms: Vec<String> = SOURCES
        .iter()
        .enumerate()
        .map(|(index, source)| {
            let scope = if source.entity == Entity::Conflict { &own } else { scope };
            arm(&mut sql, (db.engine(), index, source), scope, &shared, after, snapshot)
        })
        .collect();
    sql.replace_text(&arms.join(" UNION ALL "));
    let found: Vec<(String, i64, i64, i64)> = sql.query_as().fetch_all(db.pool()).await?;
    Ok(found
        .into_iter()
        .map(|(id, version, put, index)| {
            let source = usize::try_from(index).unwrap_or(SOURCE_COUNT).min(SOURCE_COUNT - 1);
            Row { entity: SOURCES[source].entity, position: Position { version, source, id }, put: put == 1 }
        })
        .collect())
}

/// One source's query of [`rows`]: its values are bound to `sql`, its text is returned.
/// `shared` holds the placeholders of the position's version, the upper version and the limit.
fn arm(
    sql: &mut Sql,
    (engine, index, source): (Engine, usize, &Source),
    scope: &Scope,
    (a, u, l): &(String, String, String),
    after: &Position,
    snapshot: bool,
) -> String {
    // A snapshot page of one user's records (a rep's device) starts from the scope's indexes
    // (owner, territory) and sorts what they find: a rep holds too small a share of a table to
    // find a page by walking the version index, which a bulk write (an import, a seed) may have
    // given one version for every row. A team's or the company's share is not: walking the
    // version index finds their page sooner. `+` keeps SQLite off that index; PostgreSQL is
    // given the scope as a semi-join it can estimate (a page of a rep's activities at 200,000
    // contacts: 0.9 s walking the version index, 0.25 s from the scope's ids; given `+` it
    // sorted the whole table, 2.6 s).
    let one_user = snapshot && matches!(scope, Scope::Users(ids, _) if ids.len() == 1);
    let v = if one_user && engine == Engine::Sqlite { "+x.version" } else { "x.version" };
    // Rows of this source after the position: same version only past its id in its own source,
    // every row of that version in a later source, none of it in an earlier one.
    let past = match index.cmp(&after.source) {
        std::cmp::Ordering::Less => format!("{v} > {a}"),
        std::cmp::Ordering::Equal => {
            let i = sql.arg(after.id.clone());
            format!("({v} > {a} OR ({v} = {a} AND x.id > {i}))")
        }
        std::cmp::Ordering::Greater => format!("{v} >= {a}"),
    };
    let (predicate, binds) = match &source.scoped_by {
        Some(by) if one_user && engine == Engine::Postgres => {
            scope.semi_join(by.key, by.table, (by.owner, by.territory), sql.next_index())
        }
        _ => scope.predicate(source.owner, source.territory, sql.next_index()),
    };
    sql.push_with("", binds);
    let from = source.from;
    let (put, filter) = if snapshot {
        ("1".to_string(), format!(" AND x.deleted = 0 AND {predicate}"))
    } else {
        (format!("CASE WHEN x.deleted = 0 AND {predicate} THEN 1 ELSE 0 END"), String::new())
    };
    format!(
        "SELECT * FROM (SELECT x.id, x.version, CAST({put} AS BIGINT) AS put, CAST({index} AS BIGINT) AS source \
         FROM {from} WHERE {past} AND {v} <= {u}{filter} ORDER BY {v}, x.id LIMIT {l}) s{index}"
    )
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

/// The server epoch (see [`epoch`]) and the last version handed out by a committed write (the
/// sequence row is locked from a write's first version until it commits, so none below it is
/// still to come), in one read.
pub async fn head(db: &Db) -> StoreResult<(String, i64)> {
    Ok(sqlx::query_as("SELECT server_epoch, value FROM change_sequence WHERE id = 1").fetch_one(db.pool()).await?)
}

/// The server epoch (changed by a restore from backup).
pub async fn epoch(db: &Db) -> StoreResult<String> {
    Ok(sqlx::query_scalar("SELECT server_epoch FROM change_sequence WHERE id = 1").fetch_one(db.pool()).await?)
}
