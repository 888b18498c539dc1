//! SQL for appointments. Scope: the assignee (a rep sees their own; a manager their team's).
//!
//! A recurring series is one row: its first occurrence, its rule (JSON) and the local dates it
//! skips. Reads over a window expand the series that reach it (see [`super::recurrence`]).

use super::recurrence::Series;
use crate::db::{from_ms, now_ms, parse_col, parse_id, parse_opt_id, Db, StoreError, StoreResult, WriteTx};
use crate::scope::Scope;
use chrono::{DateTime, NaiveDate, Utc};
use fieldwork_app::appointments::{
    AgendaItem, Appointment, AppointmentKind, AppointmentStatus, NewAppointment, Recurrence,
};
use fieldwork_app::common::{AppointmentId, GeoPoint, TimeZone, UserId};
use fieldwork_app::fields::CustomValues;

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
    reminder_minutes: Option<i64>,
    recurrence: Option<String>,
    recurrence_exceptions: Option<String>,
    custom: String,
}

impl TryFrom<&AgendaRow> for AgendaItem {
    type Error = StoreError;
    fn try_from(r: &AgendaRow) -> StoreResult<AgendaItem> {
        Ok(AgendaItem {
            id: parse_id(&r.id, "appointments.id")?,
            kind: parse_col(AppointmentKind::parse(&r.kind).ok_or("unknown"), "appointments.kind")?,
            title: r.title.clone(),
            starts_at: from_ms(r.starts_at),
            ends_at: from_ms(r.ends_at),
            time_zone: parse_col(TimeZone::parse(&r.time_zone), "appointments.time_zone")?,
            status: parse_col(AppointmentStatus::parse(&r.status).ok_or("unknown"), "appointments.status")?,
            assignee_id: parse_id(&r.assignee_id, "appointments.assignee_id")?,
            assignee_name: r.assignee_name.clone(),
            contact_id: parse_opt_id(r.contact_id.as_deref(), "appointments.contact_id")?,
            contact_name: r.contact_name.clone(),
            listing_id: parse_opt_id(r.listing_id.as_deref(), "appointments.listing_id")?,
            listing_title: r.listing_title.clone(),
            address: r.address.clone(),
            location: r.lat.zip(r.lon).and_then(|(lat, lon)| GeoPoint::new(lat, lon).ok()),
            recurring: r.recurrence.is_some(),
            reminder_minutes: r.reminder_minutes.and_then(|m| i32::try_from(m).ok()),
            custom: parse_col(serde_json::from_str(&r.custom), "appointments.custom")?,
        })
    }
}

fn parse_recurrence(raw: Option<&str>) -> StoreResult<Option<Recurrence>> {
    raw.map(|r| parse_col(serde_json::from_str(r), "appointments.recurrence")).transpose()
}

fn parse_exceptions(raw: Option<&str>) -> StoreResult<Vec<NaiveDate>> {
    raw.map_or(Ok(Vec::new()), |r| parse_col(serde_json::from_str(r), "appointments.recurrence_exceptions"))
}

/// The most appointments one agenda answer holds; a larger window is refused, never cut short.
pub const AGENDA_LIMIT: usize = 500;

const AGENDA_SELECT: &str = "SELECT a.id, a.kind, a.title, a.starts_at, a.ends_at, a.time_zone, a.status, \
     a.assignee_id, u.name AS assignee_name, a.contact_id, c.name AS contact_name, a.listing_id, \
     l.title AS listing_title, COALESCE(a.address, c.address, l.address) AS address, \
     COALESCE(a.lat, c.lat, l.lat) AS lat, COALESCE(a.lon, c.lon, l.lon) AS lon, a.reminder_minutes, \
     a.recurrence, a.recurrence_exceptions, a.custom \
     FROM appointments a JOIN users u ON u.id = a.assignee_id \
     LEFT JOIN contacts c ON c.id = a.contact_id LEFT JOIN listings l ON l.id = a.listing_id";

/// Appointments (and occurrences of series) starting in `[from, to)` (ms), in scope, optionally
/// of one assignee, by start. Returns at most [`AGENDA_LIMIT`] + 1, so the caller can tell
/// "too many".
pub async fn agenda(
    db: &Db,
    scope: &Scope,
    from: i64,
    to: i64,
    assignee: Option<UserId>,
) -> StoreResult<Vec<AgendaItem>> {
    let (scope_sql, scope_binds) = scope.predicate("a.assignee_id", None, 4);
    let assignee = assignee.map(|a| a.to_string()).unwrap_or_default();
    let single = format!(
        "{AGENDA_SELECT} WHERE a.deleted = 0 AND a.recurrence IS NULL AND a.starts_at >= $1 AND a.starts_at < $2 \
         AND ($3 = '' OR a.assignee_id = $3) AND {scope_sql} ORDER BY a.starts_at, a.id LIMIT 501"
    );
    let series = format!(
        "{AGENDA_SELECT} WHERE a.deleted = 0 AND a.recurrence IS NOT NULL AND a.starts_at < $2 \
         AND (a.series_ends_at IS NULL OR a.series_ends_at > $1) \
         AND ($3 = '' OR a.assignee_id = $3) AND {scope_sql} ORDER BY a.starts_at, a.id LIMIT 501"
    );
    let run = |sql: String| {
        let binds = scope_binds.clone();
        let assignee = assignee.clone();
        async move {
            let query = sqlx::query_as::<_, AgendaRow>(&sql).bind(from).bind(to).bind(assignee);
            binds.into_iter().fold(query, sqlx::query::QueryAs::bind).fetch_all(db.pool()).await
        }
    };
    let mut items: Vec<AgendaItem> = run(single).await?.iter().map(AgendaItem::try_from).collect::<StoreResult<_>>()?;
    for row in run(series).await? {
        let item = AgendaItem::try_from(&row)?;
        let Some(rule) = parse_recurrence(row.recurrence.as_deref())? else {
            continue;
        };
        let exceptions = parse_exceptions(row.recurrence_exceptions.as_deref())?;
        let zone = item.time_zone.tz();
        let series =
            Series { starts_at: item.starts_at, ends_at: item.ends_at, zone, rule: &rule, exceptions: &exceptions };
        // The agenda counts occurrences that start in the window.
        for (starts_at, ends_at) in series.between(from_ms(from), from_ms(to)) {
            if starts_at >= from_ms(from) {
                items.push(AgendaItem { starts_at, ends_at, ..item.clone() });
            }
        }
    }
    items.sort_by(|a, b| a.starts_at.cmp(&b.starts_at).then_with(|| a.id.to_string().cmp(&b.id.to_string())));
    items.truncate(AGENDA_LIMIT + 1);
    Ok(items)
}

/// The assignee's scheduled appointments (occurrences included) that overlap `[starts, ends)`,
/// leaving out `except` (the appointment being moved).
pub async fn overlapping(
    db: &Db,
    assignee: UserId,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    except: Option<AppointmentId>,
) -> StoreResult<Vec<AgendaItem>> {
    let from = starts - chrono::Duration::days(fieldwork_app::appointments::MAX_DAYS);
    let items = agenda(db, &Scope::All, from.timestamp_millis(), ends.timestamp_millis(), Some(assignee)).await?;
    Ok(items
        .into_iter()
        .filter(|i| Some(i.id) != except && i.status == AppointmentStatus::Scheduled && i.overlaps(starts, ends))
        .collect())
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
    recurrence: Option<String>,
    recurrence_exceptions: Option<String>,
    custom: String,
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
            time_zone: parse_col(TimeZone::parse(&r.time_zone), "appointments.time_zone")?,
            assignee_id: parse_id(&r.assignee_id, "appointments.assignee_id")?,
            contact_id: parse_opt_id(r.contact_id.as_deref(), "appointments.contact_id")?,
            listing_id: parse_opt_id(r.listing_id.as_deref(), "appointments.listing_id")?,
            address: r.address,
            location: r.lat.zip(r.lon).and_then(|(lat, lon)| GeoPoint::new(lat, lon).ok()),
            status: parse_col(AppointmentStatus::parse(&r.status).ok_or("unknown"), "appointments.status")?,
            reminder_minutes: r.reminder_minutes.and_then(|m| i32::try_from(m).ok()),
            notes: r.notes,
            recurrence: parse_recurrence(r.recurrence.as_deref())?,
            exceptions: parse_exceptions(r.recurrence_exceptions.as_deref())?,
            custom: parse_col(serde_json::from_str(&r.custom), "appointments.custom")?,
            version: r.version,
        })
    }
}

const COLUMNS: &str = "id, kind, title, starts_at, ends_at, time_zone, assignee_id, contact_id, listing_id, address, \
     lat, lon, status, reminder_minutes, notes, recurrence, recurrence_exceptions, custom, version";

/// The appointment with this id, when its assignee is in the caller's scope.
pub async fn get<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    scope: &Scope,
    id: AppointmentId,
) -> StoreResult<Appointment> {
    let (scope_sql, binds) = scope.predicate("assignee_id", None, 2);
    let sql = format!("SELECT {COLUMNS} FROM appointments WHERE deleted = 0 AND id = $1 AND {scope_sql}");
    let row: Option<AppointmentRow> = binds
        .iter()
        .fold(sqlx::query_as(&sql).bind(id.to_string()), sqlx::query::QueryAs::bind)
        .fetch_optional(exec)
        .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// The live appointments among `ids` (the sync feed has checked their scope), in no
/// particular order; one statement for many.
pub async fn get_many(conn: &mut sqlx::AnyConnection, ids: &[String]) -> StoreResult<Vec<Appointment>> {
    let select = format!("SELECT {COLUMNS} FROM appointments WHERE deleted = 0 AND id IN");
    crate::db::by_ids::<AppointmentRow, _>(conn, &select, ids).await
}

/// When a series' last occurrence ends (ms), `None` for a single appointment or an endless series.
fn series_ends_at(a: &Appointment) -> Option<i64> {
    let rule = a.recurrence.as_ref()?;
    let zone = a.time_zone.tz();
    let series = Series { starts_at: a.starts_at, ends_at: a.ends_at, zone, rule, exceptions: &a.exceptions };
    series.ends().map(|t| t.timestamp_millis())
}

fn json<T: serde::Serialize>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}

/// Creates a scheduled appointment for `assignee` in `zone` holding `custom` (all decided by
/// the caller).
pub(super) async fn insert(
    tx: &mut WriteTx,
    a: &NewAppointment,
    assignee: UserId,
    zone: &TimeZone,
    custom: &CustomValues,
) -> StoreResult<Appointment> {
    let version = tx.next_version().await?;
    let now = now_ms();
    let record = Appointment {
        id: a.id,
        kind: a.kind,
        title: a.title.clone(),
        starts_at: a.starts_at,
        ends_at: a.ends_at,
        time_zone: zone.clone(),
        assignee_id: assignee,
        contact_id: a.contact_id,
        listing_id: a.listing_id,
        address: a.address.clone(),
        location: a.location,
        status: AppointmentStatus::Scheduled,
        reminder_minutes: a.reminder_minutes,
        notes: a.notes.clone(),
        recurrence: a.recurrence.clone(),
        exceptions: Vec::new(),
        custom: custom.clone(),
        version,
    };
    sqlx::query(
        "INSERT INTO appointments (id, kind, title, starts_at, ends_at, time_zone, assignee_id, contact_id, listing_id, \
         address, lat, lon, status, reminder_minutes, recurrence, recurrence_exceptions, series_ends_at, notes, \
         created_at, updated_at, version, custom, deleted) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'scheduled', $13, $14, NULL, $15, $16, $17, $17, $18, $19, 0)",
    )
    .bind(record.id.to_string())
    .bind(record.kind.as_str())
    .bind(&record.title)
    .bind(record.starts_at.timestamp_millis())
    .bind(record.ends_at.timestamp_millis())
    .bind(zone.as_str())
    .bind(assignee.to_string())
    .bind(record.contact_id.map(|c| c.to_string()))
    .bind(record.listing_id.map(|l| l.to_string()))
    .bind(record.address.clone())
    .bind(record.location.map(|p| p.lat()))
    .bind(record.location.map(|p| p.lon()))
    .bind(record.reminder_minutes.map(i64::from))
    .bind(record.recurrence.as_ref().and_then(json))
    .bind(series_ends_at(&record))
    .bind(record.notes.clone())
    .bind(now)
    .bind(version)
    .bind(crate::fields::json(custom))
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::unique(e, "an appointment with this id already exists"))?;
    get(tx.conn(), &Scope::All, a.id).await
}

/// Writes `next` over the stored appointment (the caller checked scope and the change).
pub(super) async fn update(tx: &mut WriteTx, next: &Appointment) -> StoreResult<Appointment> {
    let version = tx.next_version().await?;
    let exceptions = (!next.exceptions.is_empty()).then(|| json(&next.exceptions)).flatten();
    sqlx::query(
        "UPDATE appointments SET kind = $2, title = $3, starts_at = $4, ends_at = $5, time_zone = $6, assignee_id = $7, \
         address = $8, status = $9, reminder_minutes = $10, notes = $11, recurrence = $12, recurrence_exceptions = $13, \
         series_ends_at = $14, updated_at = $15, version = $16, custom = $17 WHERE id = $1 AND deleted = 0",
    )
    .bind(next.id.to_string())
    .bind(next.kind.as_str())
    .bind(&next.title)
    .bind(next.starts_at.timestamp_millis())
    .bind(next.ends_at.timestamp_millis())
    .bind(next.time_zone.as_str())
    .bind(next.assignee_id.to_string())
    .bind(next.address.clone())
    .bind(next.status.as_str())
    .bind(next.reminder_minutes.map(i64::from))
    .bind(next.notes.clone())
    .bind(next.recurrence.as_ref().and_then(json))
    .bind(exceptions)
    .bind(series_ends_at(next))
    .bind(now_ms())
    .bind(version)
    .bind(crate::fields::json(&next.custom))
    .execute(tx.conn())
    .await?;
    get(tx.conn(), &Scope::All, next.id).await
}

/// Marks an appointment done (a visit to it was checked out), when it is still scheduled.
pub(super) async fn mark_done(tx: &mut WriteTx, id: AppointmentId) -> StoreResult<()> {
    let version = tx.next_version().await?;
    sqlx::query(
        "UPDATE appointments SET status = 'done', updated_at = $2, version = $3 \
         WHERE id = $1 AND deleted = 0 AND status = 'scheduled' AND recurrence IS NULL",
    )
    .bind(id.to_string())
    .bind(now_ms())
    .bind(version)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Deletes (tombstones) an appointment.
pub(super) async fn delete(tx: &mut WriteTx, id: AppointmentId) -> StoreResult<()> {
    Ok(crate::db::tombstone(tx, "appointments", &id.to_string()).await?)
}

/// A user's appointments for their calendar feed: everything from `from` on (series that still
/// run included), cancelled ones too, with the contact's name. At most 5,000.
pub async fn feed(db: &Db, assignee: UserId, from: i64) -> StoreResult<Vec<(Appointment, Option<String>)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        appointment: AppointmentRow,
        contact_name: Option<String>,
    }
    let columns: Vec<String> = COLUMNS.split(", ").map(|c| format!("a.{c}")).collect();
    let sql = format!(
        "SELECT {}, c.name AS contact_name FROM appointments a LEFT JOIN contacts c ON c.id = a.contact_id \
         WHERE a.assignee_id = $1 AND a.deleted = 0 \
         AND ((a.recurrence IS NULL AND a.starts_at >= $2) OR (a.recurrence IS NOT NULL AND (a.series_ends_at IS NULL OR a.series_ends_at >= $2))) \
         ORDER BY a.starts_at, a.id LIMIT 5000",
        columns.join(", ")
    );
    let rows: Vec<Row> = sqlx::query_as(&sql).bind(assignee.to_string()).bind(from).fetch_all(db.pool()).await?;
    rows.into_iter().map(|r| Ok((r.appointment.try_into()?, r.contact_name))).collect()
}
