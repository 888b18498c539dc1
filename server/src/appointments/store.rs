//! SQL for appointments. Scope: the assignee (a rep sees their own; a manager their team's).

use crate::db::{from_ms, now_ms, parse_col, parse_id, parse_opt_id, Db, StoreError, StoreResult, WriteTx};
use crate::scope::Scope;
use fieldwork_app::appointments::{AgendaItem, Appointment, AppointmentKind, AppointmentStatus, NewAppointment};
use fieldwork_app::common::{AppointmentId, GeoPoint, UserId};

#[derive(sqlx::FromRow)]
struct AgendaRow {
    id: String,
    kind: String,
    title: String,
    starts_at: i64,
    ends_at: i64,
    time_zone: String,
    status: String,
    assignee_id: String,
    assignee_name: String,
    contact_id: Option<String>,
    contact_name: Option<String>,
    listing_id: Option<String>,
    listing_title: Option<String>,
    address: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

impl TryFrom<AgendaRow> for AgendaItem {
    type Error = StoreError;
    fn try_from(r: AgendaRow) -> StoreResult<AgendaItem> {
        Ok(AgendaItem {
            id: parse_id(&r.id, "appointments.id")?,
            kind: parse_col(AppointmentKind::parse(&r.kind).ok_or("unknown"), "appointments.kind")?,
            title: r.title,
            starts_at: from_ms(r.starts_at),
            ends_at: from_ms(r.ends_at),
            time_zone: r.time_zone,
            status: parse_col(AppointmentStatus::parse(&r.status).ok_or("unknown"), "appointments.status")?,
            assignee_id: parse_id(&r.assignee_id, "appointments.assignee_id")?,
            assignee_name: r.assignee_name,
            contact_id: parse_opt_id(r.contact_id.as_deref(), "appointments.contact_id")?,
            contact_name: r.contact_name,
            listing_id: parse_opt_id(r.listing_id.as_deref(), "appointments.listing_id")?,
            listing_title: r.listing_title,
            address: r.address,
            location: r.lat.zip(r.lon).and_then(|(lat, lon)| GeoPoint::new(lat, lon).ok()),
        })
    }
}

/// The most appointments one agenda answer holds; a larger window is refused, never cut short.
pub const AGENDA_LIMIT: usize = 500;

/// Appointments starting in `[from, to)` (ms), in scope, optionally of one assignee, by start.
/// Returns at most [`AGENDA_LIMIT`] + 1 rows, so the caller can tell "too many".
pub async fn agenda(
    db: &Db,
    scope: &Scope,
    from: i64,
    to: i64,
    assignee: Option<UserId>,
) -> StoreResult<Vec<AgendaItem>> {
    let (scope_sql, scope_binds) = scope.predicate("a.assignee_id", None, 4);
    let sql = format!(
        "SELECT a.id, a.kind, a.title, a.starts_at, a.ends_at, a.time_zone, a.status, a.assignee_id, \
         u.name AS assignee_name, a.contact_id, c.name AS contact_name, a.listing_id, l.title AS listing_title, \
         COALESCE(a.address, c.address, l.address) AS address, COALESCE(a.lat, c.lat, l.lat) AS lat, \
         COALESCE(a.lon, c.lon, l.lon) AS lon \
         FROM appointments a JOIN users u ON u.id = a.assignee_id \
         LEFT JOIN contacts c ON c.id = a.contact_id LEFT JOIN listings l ON l.id = a.listing_id \
         WHERE a.deleted = 0 AND a.starts_at >= $1 AND a.starts_at < $2 \
         AND ($3 = '' OR a.assignee_id = $3) AND {scope_sql} ORDER BY a.starts_at, a.id LIMIT 501"
    );
    let mut query = sqlx::query_as::<_, AgendaRow>(&sql)
        .bind(from)
        .bind(to)
        .bind(assignee.map(|a| a.to_string()).unwrap_or_default());
    for value in scope_binds {
        query = query.bind(value);
    }
    query.fetch_all(db.pool()).await?.into_iter().map(TryInto::try_into).collect()
}

#[derive(sqlx::FromRow)]
struct AppointmentRow {
    id: String,
    kind: String,
    title: String,
    starts_at: i64,
    ends_at: i64,
    time_zone: String,
    assignee_id: String,
    contact_id: Option<String>,
    listing_id: Option<String>,
    address: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    status: String,
    reminder_minutes: Option<i64>,
    notes: Option<String>,
    version: i64,
}

impl TryFrom<AppointmentRow> for Appointment {
    type Error = StoreError;
    fn try_from(r: AppointmentRow) -> StoreResult<Appointment> {
        Ok(Appointment {
            id: parse_id(&r.id, "appointments.id")?,
            kind: parse_col(AppointmentKind::parse(&r.kind).ok_or("unknown"), "appointments.kind")?,
            title: r.title,
            starts_at: from_ms(r.starts_at),
            ends_at: from_ms(r.ends_at),
            time_zone: r.time_zone,
            assignee_id: parse_id(&r.assignee_id, "appointments.assignee_id")?,
            contact_id: parse_opt_id(r.contact_id.as_deref(), "appointments.contact_id")?,
            listing_id: parse_opt_id(r.listing_id.as_deref(), "appointments.listing_id")?,
            address: r.address,
            location: r.lat.zip(r.lon).and_then(|(lat, lon)| GeoPoint::new(lat, lon).ok()),
            status: parse_col(AppointmentStatus::parse(&r.status).ok_or("unknown"), "appointments.status")?,
            reminder_minutes: r.reminder_minutes.and_then(|m| i32::try_from(m).ok()),
            notes: r.notes,
            version: r.version,
        })
    }
}

/// The appointment with this id, when its assignee is in the caller's scope.
pub async fn get<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    scope: &Scope,
    id: AppointmentId,
) -> StoreResult<Appointment> {
    let (scope_sql, binds) = scope.predicate("assignee_id", None, 2);
    let sql = format!(
        "SELECT id, kind, title, starts_at, ends_at, time_zone, assignee_id, contact_id, listing_id, address, lat, lon, \
         status, reminder_minutes, notes, version FROM appointments WHERE deleted = 0 AND id = $1 AND {scope_sql}"
    );
    let row: Option<AppointmentRow> =
        binds.iter().fold(sqlx::query_as(&sql).bind(id.to_string()), |q, b| q.bind(b)).fetch_optional(exec).await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// Creates a scheduled appointment for `assignee` in `zone` (both decided by the caller).
pub async fn insert(tx: &mut WriteTx, a: &NewAppointment, assignee: UserId, zone: &str) -> StoreResult<Appointment> {
    let version = tx.next_version().await?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO appointments (id, kind, title, starts_at, ends_at, time_zone, assignee_id, contact_id, listing_id, \
         address, lat, lon, status, reminder_minutes, recurrence, notes, created_at, updated_at, version, deleted) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, NULL, NULL, 'scheduled', $10, NULL, $11, $12, $12, $13, 0)",
    )
    .bind(a.id.to_string())
    .bind(a.kind.as_str())
    .bind(&a.title)
    .bind(a.starts_at.timestamp_millis())
    .bind(a.ends_at.timestamp_millis())
    .bind(zone)
    .bind(assignee.to_string())
    .bind(a.contact_id.map(|c| c.to_string()))
    .bind(a.address.clone())
    .bind(a.reminder_minutes.map(i64::from))
    .bind(a.notes.clone())
    .bind(now)
    .bind(version)
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::unique(e, "an appointment with this id already exists"))?;
    get(tx.conn(), &Scope::All, a.id).await
}
