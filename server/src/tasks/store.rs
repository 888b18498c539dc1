//! SQL for tasks. A task is in scope when its assignee is (a rep's own, a manager's team's).

use crate::db::{from_ms, now_ms, parse_id, parse_opt_id, Db, Sql, StoreError, StoreResult, WriteTx};
use crate::scope::Scope;
use fieldwork_app::common::{Page, TaskId, UserId};
use fieldwork_app::tasks::{NewTask, Task, TaskDue, TaskForUpdate};

const COLUMNS: &str =
    "t.id, t.title, t.contact_id, c.name AS contact_name, t.deal_id, t.assignee_id, t.due_at, t.done, \
    t.done_at, t.version";
const FROM: &str = "tasks t LEFT JOIN contacts c ON c.id = t.contact_id";

#[derive(sqlx::FromRow)]
struct TaskRow {
    id: String,
    title: String,
    contact_id: Option<String>,
    contact_name: Option<String>,
    deal_id: Option<String>,
    assignee_id: String,
    due_at: i64,
    done: i64,
    done_at: Option<i64>,
    version: i64,
}

impl TryFrom<TaskRow> for Task {
    type Error = StoreError;
    fn try_from(r: TaskRow) -> StoreResult<Task> {
        Ok(Task {
            id: parse_id(&r.id, "tasks.id")?,
            title: r.title,
            contact_id: parse_opt_id(r.contact_id.as_deref(), "tasks.contact_id")?,
            contact_name: r.contact_name,
            deal_id: parse_opt_id(r.deal_id.as_deref(), "tasks.deal_id")?,
            assignee_id: parse_id(&r.assignee_id, "tasks.assignee_id")?,
            due_at: from_ms(r.due_at),
            done: r.done != 0,
            done_at: r.done_at.map(from_ms),
            version: r.version,
        })
    }
}

pub async fn get<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    scope: &Scope,
    id: TaskId,
) -> StoreResult<Task> {
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM {FROM} WHERE t.deleted = 0 AND t.id = "));
    let p = sql.arg(id.to_string());
    sql.push(&p).push(" AND ");
    let (scope_sql, binds) = scope.predicate("t.assignee_id", None, sql.next_index());
    sql.push_with(&scope_sql, binds);
    let row: Option<TaskRow> = sql.query_as().fetch_optional(exec).await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// The live tasks among `ids` (the sync feed has checked their scope), in no particular
/// order; one statement for many.
pub async fn get_many(conn: &mut sqlx::AnyConnection, ids: &[String]) -> StoreResult<Vec<Task>> {
    let select = format!("SELECT {COLUMNS} FROM {FROM} WHERE t.deleted = 0 AND t.id IN");
    crate::db::by_ids::<TaskRow, _>(conn, &select, ids).await
}

/// One assignee's tasks: `due` picks which; `end_of_today` is the end of the assignee's local day.
pub async fn list(
    db: &Db,
    scope: &Scope,
    assignee: UserId,
    due: TaskDue,
    end_of_today: i64,
    limit: i64,
    after: Option<(i64, String)>,
) -> StoreResult<Page<Task>> {
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM {FROM} WHERE t.deleted = 0 AND t.assignee_id = "));
    let a = sql.arg(assignee.to_string());
    sql.push(&a);
    let descending = due == TaskDue::Done;
    match due {
        TaskDue::Today => {
            let p = sql.arg(end_of_today);
            sql.push(&format!(" AND t.done = 0 AND t.due_at < {p}"));
        }
        TaskDue::Overdue => {
            let p = sql.arg(now_ms());
            sql.push(&format!(" AND t.done = 0 AND t.due_at < {p}"));
        }
        TaskDue::Open => {
            sql.push(" AND t.done = 0");
        }
        TaskDue::Done => {
            sql.push(" AND t.done = 1");
        }
    }
    if let Some((at, id)) = after {
        let (a, i) = (sql.arg(at), sql.arg(id));
        let op = if descending { "<" } else { ">" };
        sql.push(&format!(" AND (t.due_at {op} {a} OR (t.due_at = {a} AND t.id {op} {i}))"));
    }
    sql.push(" AND ");
    let (scope_sql, binds) = scope.predicate("t.assignee_id", None, sql.next_index());
    sql.push_with(&scope_sql, binds);
    let dir = if descending { "DESC" } else { "ASC" };
    let l = sql.arg(limit + 1);
    sql.push(&format!(" ORDER BY t.due_at {dir}, t.id {dir} LIMIT {l}"));
    let rows: Vec<TaskRow> = sql.query_as().fetch_all(db.pool()).await?;
    let mut items: Vec<Task> = rows.into_iter().map(TryInto::try_into).collect::<StoreResult<_>>()?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(usize::try_from(limit).unwrap_or(0));
        items.last().map(|t| crate::cursor::encode(&[&t.due_at.timestamp_millis().to_string(), &t.id.to_string()]))
    } else {
        None
    };
    Ok(Page { items, next_cursor, total: None })
}

pub(super) async fn insert(tx: &mut WriteTx, t: &NewTask, assignee: UserId) -> StoreResult<Task> {
    let version = tx.next_version().await?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO tasks (id, title, contact_id, deal_id, assignee_id, due_at, done, done_at, created_at, updated_at, \
         version, deleted) VALUES ($1, $2, $3, $4, $5, $6, 0, NULL, $7, $7, $8, 0)",
    )
    .bind(t.id.to_string())
    .bind(&t.title)
    .bind(t.contact_id.map(|c| c.to_string()))
    .bind(t.deal_id.map(|d| d.to_string()))
    .bind(assignee.to_string())
    .bind(t.due_at.timestamp_millis())
    .bind(now)
    .bind(version)
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::unique(e, "a task with this id already exists"))?;
    get(tx.conn(), &Scope::All, t.id).await
}

pub(super) async fn update(tx: &mut WriteTx, current: &Task, changes: &TaskForUpdate) -> StoreResult<Task> {
    let version = tx.next_version().await?;
    let now = now_ms();
    let done = changes.done.unwrap_or(current.done);
    let done_at = match (current.done, done) {
        (false, true) => Some(now),
        (true, true) => current.done_at.map(|d| d.timestamp_millis()),
        (_, false) => None,
    };
    sqlx::query(
        "UPDATE tasks SET title = $2, assignee_id = $3, due_at = $4, done = $5, done_at = $6, updated_at = $7, \
         version = $8 WHERE id = $1",
    )
    .bind(current.id.to_string())
    .bind(changes.title.as_ref().unwrap_or(&current.title))
    .bind(changes.assignee_id.unwrap_or(current.assignee_id).to_string())
    .bind(changes.due_at.unwrap_or(current.due_at).timestamp_millis())
    .bind(i64::from(done))
    .bind(done_at)
    .bind(now)
    .bind(version)
    .execute(tx.conn())
    .await?;
    get(tx.conn(), &Scope::All, current.id).await
}

/// The assignee's open follow-ups due before `until` (ms), overdue first, with the contact's
/// address and position: the flexible stops of their Today route. At most 200.
pub async fn due_stops(
    db: &Db,
    assignee: UserId,
    until: i64,
) -> StoreResult<Vec<fieldwork_app::appointments::FollowUpStop>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        title: String,
        due_at: i64,
        contact_id: Option<String>,
        contact_name: Option<String>,
        address: Option<String>,
        lat: Option<f64>,
        lon: Option<f64>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT t.id, t.title, t.due_at, t.contact_id, c.name AS contact_name, c.address, c.lat, c.lon \
         FROM tasks t LEFT JOIN contacts c ON c.id = t.contact_id \
         WHERE t.assignee_id = $1 AND t.done = 0 AND t.deleted = 0 AND t.due_at < $2 ORDER BY t.due_at, t.id LIMIT 200",
    )
    .bind(assignee.to_string())
    .bind(until)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(fieldwork_app::appointments::FollowUpStop {
                id: parse_id(&r.id, "tasks.id")?,
                title: r.title,
                due_at: from_ms(r.due_at),
                contact_id: parse_opt_id(r.contact_id.as_deref(), "tasks.contact_id")?,
                contact_name: r.contact_name,
                address: r.address,
                location: r.lat.zip(r.lon).and_then(|(lat, lon)| fieldwork_app::common::GeoPoint::new(lat, lon).ok()),
            })
        })
        .collect()
}
