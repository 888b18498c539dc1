//! SQL for bulk runs on contacts: the run, its items, and the claim that lets exactly one
//! server work on a run at a time.

use crate::db::{from_ms, now_ms, parse_col, parse_id, Db, StoreError, StoreResult, WriteTx};
use fieldwork_app::common::{ContactId, UserId};
use fieldwork_app::contacts::bulk::{BulkChange, BulkJob, BulkState, Selection, Step};

/// How many item rows one INSERT writes.
const INSERT_ROWS: usize = 200;

#[derive(sqlx::FromRow)]
struct RunRow {
    id: String,
    user_id: String,
    change: String,
    state: String,
    total: i64,
    done: i64,
    changed: i64,
    unchanged: i64,
    restored: i64,
    undo_until: Option<i64>,
    heartbeat: i64,
    created_at: i64,
}

/// A run as stored: the job the API shows, whose it is, and when it last moved.
pub struct Run {
    pub job: BulkJob,
    pub user: UserId,
    pub heartbeat: i64,
}

impl TryFrom<RunRow> for Run {
    type Error = StoreError;
    fn try_from(r: RunRow) -> StoreResult<Run> {
        Ok(Run {
            job: BulkJob {
                id: parse_id(&r.id, "bulk_runs.id")?,
                change: parse_col(serde_json::from_str(&r.change), "bulk_runs.change")?,
                state: parse_col(BulkState::parse(&r.state).ok_or("unknown"), "bulk_runs.state")?,
                total: r.total,
                done: r.done,
                changed: r.changed,
                unchanged: r.unchanged,
                restored: r.restored,
                undo_until: r.undo_until.map(from_ms),
                created_at: from_ms(r.created_at),
            },
            user: parse_id(&r.user_id, "bulk_runs.user_id")?,
            heartbeat: r.heartbeat,
        })
    }
}

const RUN_COLUMNS: &str =
    "id, user_id, change, state, total, done, changed, unchanged, restored, undo_until, heartbeat, created_at";

/// Records a new run over `ids`, in that order.
pub async fn create(
    tx: &mut WriteTx,
    id: uuid::Uuid,
    user: UserId,
    change: &BulkChange,
    selection: &Selection,
    ids: &[String],
) -> StoreResult<()> {
    let json = |v: serde_json::Result<String>| v.map_err(|e| StoreError::Corrupt(e.to_string()));
    let now = now_ms();
    sqlx::query(
        "INSERT INTO bulk_runs (id, user_id, change, selection, state, total, heartbeat, created_at) \
         VALUES ($1, $2, $3, $4, 'running', $5, $6, $6)",
    )
    .bind(id.to_string())
    .bind(user.to_string())
    .bind(json(serde_json::to_string(change))?)
    .bind(json(serde_json::to_string(selection))?)
    .bind(ids.len() as i64)
    .bind(now)
    .execute(tx.conn())
    .await?;
    for (chunk_no, chunk) in ids.chunks(INSERT_ROWS).enumerate() {
        let values: Vec<String> =
            (0..chunk.len()).map(|i| format!("($1, ${}, ${}, 'pending')", 2 * i + 2, 2 * i + 3)).collect();
        let sql = format!("INSERT INTO bulk_items (run_id, seq, contact_id, status) VALUES {}", values.join(", "));
        let mut query = sqlx::query(&sql).bind(id.to_string());
        for (i, contact) in chunk.iter().enumerate() {
            query = query.bind((chunk_no * INSERT_ROWS + i) as i64).bind(contact.clone());
        }
        query.execute(tx.conn()).await?;
    }
    Ok(())
}

/// The run with this id.
pub async fn get(db: &Db, id: &str) -> StoreResult<Run> {
    let row: Option<RunRow> = sqlx::query_as(&format!("SELECT {RUN_COLUMNS} FROM bulk_runs WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// Runs still at work whose server has not moved them since `quiet_since` (it stopped).
pub async fn stalled(db: &Db, quiet_since: i64) -> StoreResult<Vec<Run>> {
    let rows: Vec<RunRow> = sqlx::query_as(&format!(
        "SELECT {RUN_COLUMNS} FROM bulk_runs WHERE state IN ('running', 'undoing') AND heartbeat < $1"
    ))
    .bind(quiet_since)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

/// Takes a run over when it still shows the heartbeat the caller saw: true for exactly one
/// of several servers trying.
pub async fn claim(db: &Db, id: &str, seen: i64) -> StoreResult<bool> {
    let mut tx = db.begin_write().await?;
    let taken = sqlx::query("UPDATE bulk_runs SET heartbeat = $3 WHERE id = $1 AND heartbeat = $2")
        .bind(id)
        .bind(seen)
        .bind(now_ms())
        .execute(tx.conn())
        .await?
        .rows_affected()
        == 1;
    tx.commit().await?;
    Ok(taken)
}

/// The next items to change (pending), in order.
pub async fn pending(tx: &mut WriteTx, run: &str, limit: i64) -> StoreResult<Vec<(i64, ContactId)>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT seq, contact_id FROM bulk_items WHERE run_id = $1 AND status = 'pending' ORDER BY seq LIMIT $2",
    )
    .bind(run)
    .bind(limit)
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter().map(|(seq, id)| Ok((seq, parse_id(&id, "bulk_items.contact_id")?))).collect()
}

/// The next changed items to put back, in order, with what the run did to each.
pub async fn to_restore(tx: &mut WriteTx, run: &str, limit: i64) -> StoreResult<Vec<(i64, ContactId, Step)>> {
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT seq, contact_id, step FROM bulk_items WHERE run_id = $1 AND status = 'changed' ORDER BY seq LIMIT $2",
    )
    .bind(run)
    .bind(limit)
    .fetch_all(tx.conn())
    .await?;
    rows.into_iter()
        .map(|(seq, id, step)| {
            let step = parse_col(serde_json::from_str(step.as_deref().unwrap_or("null")), "bulk_items.step")?;
            Ok((seq, parse_id(&id, "bulk_items.contact_id")?, step))
        })
        .collect()
}

/// What happened to one item: `changed` (with its step), `unchanged`, `restored` or `kept`.
pub async fn mark(tx: &mut WriteTx, run: &str, seq: i64, status: &str, step: Option<&Step>) -> StoreResult<()> {
    let step = step.map(serde_json::to_string).transpose().map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query("UPDATE bulk_items SET status = $3, step = COALESCE($4, step) WHERE run_id = $1 AND seq = $2")
        .bind(run)
        .bind(seq)
        .bind(status)
        .bind(step)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Adds a batch's counts to the run and marks it alive.
pub async fn progress(
    tx: &mut WriteTx,
    run: &str,
    done: i64,
    changed: i64,
    unchanged: i64,
    restored: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE bulk_runs SET done = done + $2, changed = changed + $3, unchanged = unchanged + $4, \
         restored = restored + $5, heartbeat = $6 WHERE id = $1",
    )
    .bind(run)
    .bind(done)
    .bind(changed)
    .bind(unchanged)
    .bind(restored)
    .bind(now_ms())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Moves the run to `state` (with the end of its undo window once done), when it is in `from`.
pub async fn set_state(
    tx: &mut WriteTx,
    run: &str,
    from: BulkState,
    state: BulkState,
    undo_until: Option<i64>,
) -> StoreResult<bool> {
    Ok(sqlx::query("UPDATE bulk_runs SET state = $3, undo_until = $4, heartbeat = $5 WHERE id = $1 AND state = $2")
        .bind(run)
        .bind(from.as_str())
        .bind(state.as_str())
        .bind(undo_until)
        .bind(now_ms())
        .execute(tx.conn())
        .await?
        .rows_affected()
        == 1)
}

/// The ids among `ids` of live contacts in `scope`.
pub async fn in_scope(
    db: &Db,
    scope: &crate::scope::Scope,
    ids: &[String],
) -> StoreResult<std::collections::HashSet<String>> {
    let mut found = std::collections::HashSet::new();
    for chunk in ids.chunks(INSERT_ROWS) {
        let mut sql = crate::db::Sql::new("SELECT c.id FROM contacts c WHERE c.deleted = 0 AND c.id IN (");
        let list: Vec<String> = chunk.iter().map(|id| sql.arg(id.as_str())).collect();
        sql.push(&list.join(", ")).push(") AND ");
        let (scope_sql, binds) = scope.predicate("c.owner_id", Some("c.territory_id"), sql.next_index());
        sql.push_with(&scope_sql, binds);
        let rows: Vec<String> = sql.query_scalar().fetch_all(db.pool()).await?;
        found.extend(rows);
    }
    Ok(found)
}
