//! SQL for visits. A visit is in scope when its rep is (a rep's own, a manager's team's).

use crate::db::{from_ms, now_ms, parse_col, parse_id, parse_opt_id, Db, StoreError, StoreResult, WriteTx};
use crate::scope::Scope;
use fieldwork_app::common::{AppointmentId, ContactId, GeoPoint, ListingId, UserId, VisitId};
use fieldwork_app::fields::CustomValues;
use fieldwork_app::visits::{BuyerReaction, CheckOut, Visit};

const COLUMNS: &str = "id, rep_id, contact_id, listing_id, appointment_id, check_in_at, check_in_lat, check_in_lon, \
     check_in_accuracy_m, distance_m, far, check_out_at, outcome, notes, next_step, buyer_reaction, version, custom";

#[derive(sqlx::FromRow)]
struct VisitRow {
    id: String,
    rep_id: String,
    contact_id: Option<String>,
    listing_id: Option<String>,
    appointment_id: Option<String>,
    check_in_at: i64,
    check_in_lat: Option<f64>,
    check_in_lon: Option<f64>,
    check_in_accuracy_m: Option<f64>,
    distance_m: Option<f64>,
    far: i64,
    check_out_at: Option<i64>,
    outcome: Option<String>,
    notes: Option<String>,
    next_step: Option<String>,
    buyer_reaction: Option<String>,
    version: i64,
    custom: String,
}

impl TryFrom<VisitRow> for Visit {
    type Error = StoreError;
    fn try_from(r: VisitRow) -> StoreResult<Visit> {
        Ok(Visit {
            id: parse_id(&r.id, "visits.id")?,
            rep_id: parse_id(&r.rep_id, "visits.rep_id")?,
            contact_id: parse_opt_id(r.contact_id.as_deref(), "visits.contact_id")?,
            listing_id: parse_opt_id(r.listing_id.as_deref(), "visits.listing_id")?,
            appointment_id: parse_opt_id(r.appointment_id.as_deref(), "visits.appointment_id")?,
            check_in_at: from_ms(r.check_in_at),
            check_in_position: r.check_in_lat.zip(r.check_in_lon).and_then(|(lat, lon)| GeoPoint::new(lat, lon).ok()),
            check_in_accuracy_m: r.check_in_accuracy_m,
            distance_m: r.distance_m,
            far: r.far != 0,
            check_out_at: r.check_out_at.map(from_ms),
            outcome: r.outcome,
            notes: r.notes,
            next_step: r.next_step,
            buyer_reaction: r
                .buyer_reaction
                .as_deref()
                .map(|b| parse_col(BuyerReaction::parse(b).ok_or("unknown"), "visits.buyer_reaction"))
                .transpose()?,
            version: r.version,
            custom: parse_col(serde_json::from_str(&r.custom), "visits.custom")?,
        })
    }
}

pub async fn get<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    scope: &Scope,
    id: VisitId,
) -> StoreResult<Visit> {
    let (scope_sql, binds) = scope.predicate("rep_id", None, 2);
    let sql = format!("SELECT {COLUMNS} FROM visits WHERE deleted = 0 AND id = $1 AND {scope_sql}");
    let row: Option<VisitRow> = binds
        .iter()
        .fold(sqlx::query_as(&sql).bind(id.to_string()), sqlx::query::QueryAs::bind)
        .fetch_optional(exec)
        .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// The live visits among `ids` (the sync feed has checked their scope), in no particular
/// order; one statement for many.
pub async fn get_many(conn: &mut sqlx::AnyConnection, ids: &[String]) -> StoreResult<Vec<Visit>> {
    let select = format!("SELECT {COLUMNS} FROM visits WHERE deleted = 0 AND id IN");
    crate::db::by_ids::<VisitRow, _>(conn, &select, ids).await
}

/// A rep's visits checked in within `[from, to)` (ms), oldest first, at most 500.
pub async fn of_rep(db: &Db, rep: UserId, from: i64, to: i64) -> StoreResult<Vec<Visit>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM visits WHERE deleted = 0 AND rep_id = $1 AND check_in_at >= $2 AND check_in_at < $3 \
         ORDER BY check_in_at, id LIMIT 500"
    );
    let rows: Vec<VisitRow> =
        sqlx::query_as(&sql).bind(rep.to_string()).bind(from).bind(to).fetch_all(db.pool()).await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

/// The rep's visit that is checked in and not yet out, if any.
pub async fn open_of<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    rep: UserId,
) -> StoreResult<Option<Visit>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM visits WHERE deleted = 0 AND rep_id = $1 AND check_out_at IS NULL \
         ORDER BY check_in_at DESC LIMIT 1"
    );
    let row: Option<VisitRow> = sqlx::query_as(&sql).bind(rep.to_string()).fetch_optional(exec).await?;
    row.map(TryInto::try_into).transpose()
}

/// What a check-in stores (the route decided the target and measured the distance).
pub struct CheckIn {
    pub id: VisitId,
    pub rep: UserId,
    pub contact_id: Option<ContactId>,
    pub listing_id: Option<ListingId>,
    pub appointment_id: Option<AppointmentId>,
    pub at: chrono::DateTime<chrono::Utc>,
    pub position: Option<GeoPoint>,
    pub accuracy_m: Option<f64>,
    pub distance_m: Option<f64>,
    pub far: bool,
}

pub(super) async fn check_in(tx: &mut WriteTx, v: &CheckIn) -> StoreResult<Visit> {
    let version = tx.next_version().await?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO visits (id, rep_id, contact_id, listing_id, appointment_id, check_in_at, check_in_lat, check_in_lon, \
         check_in_accuracy_m, distance_m, far, created_at, updated_at, version, deleted) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, 0)",
    )
    .bind(v.id.to_string())
    .bind(v.rep.to_string())
    .bind(v.contact_id.map(|c| c.to_string()))
    .bind(v.listing_id.map(|l| l.to_string()))
    .bind(v.appointment_id.map(|a| a.to_string()))
    .bind(v.at.timestamp_millis())
    .bind(v.position.map(|p| p.lat()))
    .bind(v.position.map(|p| p.lon()))
    .bind(v.accuracy_m)
    .bind(v.distance_m)
    .bind(i64::from(v.far))
    .bind(now)
    .bind(version)
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::unique(e, "a visit with this id already exists"))?;
    get(tx.conn(), &Scope::All, v.id).await
}

/// Records the check-out; `next_step` is the plain-language summary kept on the visit.
pub(super) async fn check_out(
    tx: &mut WriteTx,
    id: VisitId,
    out: &CheckOut,
    next_step: Option<&str>,
    answers: &CustomValues,
) -> StoreResult<Visit> {
    let version = tx.next_version().await?;
    let done = sqlx::query(
        "UPDATE visits SET check_out_at = $2, check_out_lat = $3, check_out_lon = $4, outcome = $5, notes = $6, \
         next_step = $7, buyer_reaction = $8, updated_at = $9, version = $10, custom = $11 \
         WHERE id = $1 AND deleted = 0 AND check_out_at IS NULL",
    )
    .bind(id.to_string())
    .bind(out.at.timestamp_millis())
    .bind(out.position.map(|p| p.lat()))
    .bind(out.position.map(|p| p.lon()))
    .bind(&out.outcome)
    .bind(out.notes.clone())
    .bind(next_step.map(String::from))
    .bind(out.buyer_reaction.map(fieldwork_app::visits::BuyerReaction::as_str))
    .bind(now_ms())
    .bind(version)
    .bind(crate::fields::json(answers))
    .execute(tx.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict("this visit is already checked out".into()));
    }
    get(tx.conn(), &Scope::All, id).await
}
