//! SQL for activities. Callers have checked that the contact is in the caller's scope.

use crate::db::{from_ms, now_ms, parse_col, parse_id, parse_opt_id, Db, StoreError, StoreResult, WriteTx};
use fieldwork_app::activities::{Activity, ActivityKind, CallResult, Direction, NewActivity};
use fieldwork_app::common::{ActivityId, ContactId, Page, UserId};

const COLUMNS: &str =
    "id, contact_id, author_id, kind, occurred_at, direction, duration_s, result, subject, body, version";

#[derive(sqlx::FromRow)]
struct ActivityRow {
    id: String,
    contact_id: String,
    author_id: Option<String>,
    kind: String,
    occurred_at: i64,
    direction: Option<String>,
    duration_s: Option<i64>,
    result: Option<String>,
    subject: Option<String>,
    body: String,
    version: i64,
}

impl TryFrom<ActivityRow> for Activity {
    type Error = StoreError;
    fn try_from(r: ActivityRow) -> StoreResult<Activity> {
        Ok(Activity {
            id: parse_id(&r.id, "activities.id")?,
            contact_id: parse_id(&r.contact_id, "activities.contact_id")?,
            author_id: parse_opt_id(r.author_id.as_deref(), "activities.author_id")?,
            kind: parse_col(ActivityKind::parse(&r.kind), "activities.kind")?,
            occurred_at: from_ms(r.occurred_at),
            direction: r.direction.as_deref().and_then(|d| Direction::parse(d).ok()),
            duration_s: r.duration_s,
            result: r.result.as_deref().and_then(|d| CallResult::parse(d).ok()),
            subject: r.subject,
            body: r.body,
            version: r.version,
        })
    }
}

pub(super) async fn insert(
    tx: &mut WriteTx,
    contact: ContactId,
    author: UserId,
    a: &NewActivity,
) -> StoreResult<Activity> {
    let version = tx.next_version().await?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO activities (id, contact_id, author_id, kind, occurred_at, direction, duration_s, result, subject, \
         body, created_at, updated_at, version, deleted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, 0)",
    )
    .bind(a.id.to_string())
    .bind(contact.to_string())
    .bind(author.to_string())
    .bind(a.kind.as_str())
    .bind(a.occurred_at.timestamp_millis())
    .bind(a.direction.map(Direction::as_str))
    .bind(a.duration_s)
    .bind(a.result.map(CallResult::as_str))
    .bind(a.subject.clone())
    .bind(&a.body)
    .bind(now)
    .bind(version)
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::unique(e, "an activity with this id already exists"))?;
    let row: ActivityRow = sqlx::query_as(&format!("SELECT {COLUMNS} FROM activities WHERE id = $1"))
        .bind(a.id.to_string())
        .fetch_one(tx.conn())
        .await?;
    row.try_into()
}

/// The live activities among `ids` (the sync feed has checked their scope), in no
/// particular order; one statement for many.
pub async fn get_many(conn: &mut sqlx::AnyConnection, ids: &[String]) -> StoreResult<Vec<Activity>> {
    let select = format!("SELECT {COLUMNS} FROM activities WHERE deleted = 0 AND id IN");
    crate::db::by_ids::<ActivityRow, _>(conn, &select, ids).await
}

/// One activity (the caller has checked its contact's scope).
pub async fn get(conn: &mut sqlx::AnyConnection, id: ActivityId) -> StoreResult<Activity> {
    let row: Option<ActivityRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM activities WHERE id = $1 AND deleted = 0"))
            .bind(id.to_string())
            .fetch_optional(conn)
            .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// The contact's activities, newest first (keyset on `occurred_at`, id).
pub async fn list(
    db: &Db,
    contact: ContactId,
    limit: i64,
    before: Option<(i64, String)>,
) -> StoreResult<Page<Activity>> {
    let (at, id) = before.unwrap_or((i64::MAX, "\u{10FFFF}".into()));
    let rows: Vec<ActivityRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM activities WHERE contact_id = $1 AND deleted = 0 \
         AND (occurred_at < $2 OR (occurred_at = $2 AND id < $3)) ORDER BY occurred_at DESC, id DESC LIMIT $4"
    ))
    .bind(contact.to_string())
    .bind(at)
    .bind(id)
    .bind(limit + 1)
    .fetch_all(db.pool())
    .await?;
    let mut items: Vec<Activity> = rows.into_iter().map(TryInto::try_into).collect::<StoreResult<_>>()?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(usize::try_from(limit).unwrap_or(0));
        items.last().map(|a| crate::cursor::encode(&[&a.occurred_at.timestamp_millis().to_string(), &a.id.to_string()]))
    } else {
        None
    };
    Ok(Page { items, next_cursor, total: None })
}
