//! SQL for listings and their status history and showings; their photos in [`photos`] and
//! share links in [`sharing`]. Every read applies the caller's [`Scope`] (listing agent and
//! territory), except the public share-link read.

mod photos;
mod sharing;

pub use photos::{delete_photo, insert_photo, photo_file, photos, reorder_photos, set_cover};
pub use sharing::{by_share_token, set_share_token};

use crate::db::{from_ms, now_ms, parse_col, parse_id, parse_opt_id, Db, Sql, StoreError, StoreResult, WriteTx};
use crate::scope::Scope;
use fieldwork_app::common::{ContactId, GeoPoint, ListingId, Money, Page, TerritoryId, UserId};
use fieldwork_app::fields::CustomValues;
use fieldwork_app::listings::{
    Listing, ListingFacts, ListingFilter, ListingKind, ListingStatus, ListingSummary, NewListing, Photo, Showing,
    StatusChange, Transaction,
};

const SUMMARY: &str = "l.id, l.reference, l.title, l.kind, l.transaction_type, l.status, l.price_amount, \
    l.price_currency, l.bedrooms, l.area_m2, l.address, l.lat, l.lon, l.territory_id, l.agent_id, l.version, \
    (SELECT p.id FROM listing_photos p WHERE p.listing_id = l.id ORDER BY p.is_cover DESC, p.position, p.id LIMIT 1) \
    AS cover_photo_id";

const FULL: &str = "l.id, l.reference, l.title, l.kind, l.transaction_type, l.status, l.price_amount, \
    l.price_currency, l.rent_period, l.area_m2, l.bedrooms, l.bathrooms, l.floor, l.year_built, l.features, \
    l.description, l.address, l.lat, l.lon, l.territory_id, l.owner_contact_id, c.name AS owner_name, l.agent_id, \
    u.name AS agent_name, l.share_token, l.custom, l.version, l.created_at, l.updated_at";

const FULL_FROM: &str =
    "listings l LEFT JOIN contacts c ON c.id = l.owner_contact_id LEFT JOIN users u ON u.id = l.agent_id";

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    reference: String,
    title: String,
    kind: String,
    transaction_type: String,
    status: String,
    price_amount: i64,
    price_currency: String,
    bedrooms: Option<i64>,
    area_m2: Option<f64>,
    address: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    territory_id: Option<String>,
    agent_id: Option<String>,
    version: i64,
    cover_photo_id: Option<String>,
}

fn kind(raw: &str) -> StoreResult<ListingKind> {
    parse_col(ListingKind::parse(raw).ok_or("unknown"), "listings.kind")
}

fn transaction(raw: &str) -> StoreResult<Transaction> {
    parse_col(Transaction::parse(raw).ok_or("unknown"), "listings.transaction_type")
}

fn status(raw: &str) -> StoreResult<ListingStatus> {
    parse_col(ListingStatus::parse(raw).ok_or("unknown"), "listings.status")
}

fn small(v: Option<i64>) -> Option<i32> {
    v.and_then(|v| i32::try_from(v).ok())
}

fn point(lat: Option<f64>, lon: Option<f64>) -> Option<GeoPoint> {
    lat.zip(lon).and_then(|(lat, lon)| GeoPoint::new(lat, lon).ok())
}

impl TryFrom<SummaryRow> for ListingSummary {
    type Error = StoreError;
    fn try_from(r: SummaryRow) -> StoreResult<ListingSummary> {
        Ok(ListingSummary {
            id: parse_id(&r.id, "listings.id")?,
            reference: r.reference,
            title: r.title,
            kind: kind(&r.kind)?,
            transaction: transaction(&r.transaction_type)?,
            status: status(&r.status)?,
            price: parse_col(Money::new(r.price_amount, &r.price_currency), "listings.price")?,
            bedrooms: small(r.bedrooms),
            area_m2: r.area_m2,
            address: r.address,
            location: point(r.lat, r.lon),
            territory_id: parse_opt_id(r.territory_id.as_deref(), "listings.territory_id")?,
            agent_id: parse_opt_id(r.agent_id.as_deref(), "listings.agent_id")?,
            cover_photo_id: parse_opt_id(r.cover_photo_id.as_deref(), "listing_photos.id")?,
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ListingRow {
    id: String,
    reference: String,
    title: String,
    kind: String,
    transaction_type: String,
    status: String,
    price_amount: i64,
    price_currency: String,
    rent_period: Option<String>,
    area_m2: Option<f64>,
    bedrooms: Option<i64>,
    bathrooms: Option<i64>,
    floor: Option<i64>,
    year_built: Option<i64>,
    features: String,
    description: Option<String>,
    address: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    territory_id: Option<String>,
    owner_contact_id: Option<String>,
    owner_name: Option<String>,
    agent_id: Option<String>,
    agent_name: Option<String>,
    share_token: Option<String>,
    custom: String,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

impl ListingRow {
    fn into_listing(self, photos: Vec<Photo>) -> StoreResult<Listing> {
        Ok(Listing {
            id: parse_id(&self.id, "listings.id")?,
            reference: self.reference,
            title: self.title,
            kind: kind(&self.kind)?,
            transaction: transaction(&self.transaction_type)?,
            status: status(&self.status)?,
            price: parse_col(Money::new(self.price_amount, &self.price_currency), "listings.price")?,
            rent_period: self.rent_period,
            area_m2: self.area_m2,
            bedrooms: small(self.bedrooms),
            bathrooms: small(self.bathrooms),
            floor: small(self.floor),
            year_built: small(self.year_built),
            features: parse_col(serde_json::from_str(&self.features), "listings.features")?,
            description: self.description,
            address: self.address,
            location: point(self.lat, self.lon),
            territory_id: parse_opt_id(self.territory_id.as_deref(), "listings.territory_id")?,
            owner_contact_id: parse_opt_id(self.owner_contact_id.as_deref(), "listings.owner_contact_id")?,
            owner_name: self.owner_name,
            agent_id: parse_opt_id(self.agent_id.as_deref(), "listings.agent_id")?,
            agent_name: self.agent_name,
            photos,
            share_token: self.share_token,
            custom: parse_col(serde_json::from_str(&self.custom), "listings.custom")?,
            version: self.version,
            created_at: from_ms(self.created_at),
            updated_at: from_ms(self.updated_at),
        })
    }
}

fn scoped(sql: &mut Sql, scope: &Scope) {
    sql.push(" AND ");
    let (scope_sql, binds) = scope.predicate("l.agent_id", Some("l.territory_id"), sql.next_index());
    sql.push_with(&scope_sql, binds);
}

fn filtered(sql: &mut Sql, f: &ListingFilter) {
    for condition in &f.custom {
        crate::fields::filter::push(sql, "l.id", condition);
    }
    if let Some(kind) = f.kind {
        let p = sql.arg(kind.as_str());
        sql.push(&format!(" AND l.kind = {p}"));
    }
    if let Some(t) = f.transaction {
        let p = sql.arg(t.as_str());
        sql.push(&format!(" AND l.transaction_type = {p}"));
    }
    if !f.statuses.is_empty() {
        let list: Vec<String> = f.statuses.iter().map(|s| sql.arg(s.as_str())).collect();
        sql.push(&format!(" AND l.status IN ({})", list.join(", ")));
    }
    if let Some(min) = f.price_min {
        let p = sql.arg(min);
        sql.push(&format!(" AND l.price_amount >= {p}"));
    }
    if let Some(max) = f.price_max {
        let p = sql.arg(max);
        sql.push(&format!(" AND l.price_amount <= {p}"));
    }
    if let Some(b) = f.bedrooms {
        let p = sql.arg(i64::from(b));
        sql.push(&format!(" AND l.bedrooms >= {p}"));
    }
    if let Some(a) = f.area_min {
        let p = sql.arg(a);
        sql.push(&format!(" AND l.area_m2 >= CAST({p} AS DOUBLE PRECISION)"));
    }
    if let Some(a) = f.area_max {
        let p = sql.arg(a);
        sql.push(&format!(" AND l.area_m2 <= CAST({p} AS DOUBLE PRECISION)"));
    }
    if let Some(t) = f.territory {
        let p = sql.arg(t.to_string());
        sql.push(&format!(" AND l.territory_id = {p}"));
    }
    if let Some(a) = f.agent {
        let p = sql.arg(a.to_string());
        sql.push(&format!(" AND l.agent_id = {p}"));
    }
    if let Some([west, south, east, north]) = f.bbox {
        let (w, s, e, n) = (sql.arg(west), sql.arg(south), sql.arg(east), sql.arg(north));
        sql.push(&format!(
            " AND l.lat BETWEEN CAST({s} AS DOUBLE PRECISION) AND CAST({n} AS DOUBLE PRECISION) \
             AND l.lon BETWEEN CAST({w} AS DOUBLE PRECISION) AND CAST({e} AS DOUBLE PRECISION)"
        ));
    }
    for word in f.text.iter().flat_map(|t| t.split_whitespace()).take(5) {
        let p = sql.arg(format!("%{}%", word.to_lowercase().replace(['%', '_'], "")));
        sql.push(&format!(
            " AND (LOWER(l.title) LIKE {p} OR LOWER(l.reference) LIKE {p} OR LOWER(COALESCE(l.address, '')) LIKE {p})"
        ));
    }
}

/// One page of listings in scope matching `filter`, newest first (keyset on the time-ordered id).
pub async fn list(
    db: &Db,
    scope: &Scope,
    filter: &ListingFilter,
    limit: i64,
    before_id: Option<String>,
) -> StoreResult<Page<ListingSummary>> {
    let mut sql = Sql::new(&format!("SELECT {SUMMARY} FROM listings l WHERE l.deleted = 0"));
    filtered(&mut sql, filter);
    if let Some(before) = before_id {
        let p = sql.arg(before);
        sql.push(&format!(" AND l.id < {p}"));
    }
    scoped(&mut sql, scope);
    let l = sql.arg(limit + 1);
    sql.push(&format!(" ORDER BY l.id DESC LIMIT {l}"));
    let rows: Vec<SummaryRow> = sql.query_as().fetch_all(db.pool()).await?;
    let mut items: Vec<ListingSummary> = rows.into_iter().map(TryInto::try_into).collect::<StoreResult<_>>()?;
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(usize::try_from(limit).unwrap_or(0));
        items.last().map(|l| crate::cursor::encode(&[&l.id.to_string()]))
    } else {
        None
    };
    Ok(Page { items, next_cursor, total: None })
}

/// The best few listings on the market (available or under offer) in scope for `req`: the hard
/// rules and the indexed facts narrow the set, the database ranks it by `fit`'s penalty, the
/// caller scores and explains the few. Answers each with its features.
pub async fn market(
    db: &Db,
    scope: &Scope,
    req: &fieldwork_app::listings::Requirement,
) -> StoreResult<Vec<(ListingSummary, Vec<String>)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        summary: SummaryRow,
        features: String,
    }
    let mut sql = Sql::new(&format!(
        "SELECT {SUMMARY}, l.features FROM listings l WHERE l.deleted = 0 AND l.status IN ('available', 'under_offer') \
         AND l.transaction_type = "
    ));
    let p = sql.arg(req.transaction.as_str());
    sql.push(&p);
    if let Some(currency) = req.currency() {
        let p = sql.arg(currency);
        sql.push(&format!(" AND l.price_currency = {p}"));
    }
    if let Some(ceiling) = req.price_ceiling() {
        let p = sql.arg(ceiling);
        sql.push(&format!(" AND l.price_amount <= {p}"));
    }
    if !req.kinds.is_empty() {
        let list: Vec<String> = req.kinds.iter().map(|k| sql.arg(k.as_str())).collect();
        sql.push(&format!(" AND l.kind IN ({})", list.join(", ")));
    }
    if let Some(bedrooms) = req.min_bedrooms.filter(|b| *b > 0) {
        let p = sql.arg(i64::from(bedrooms) - 1);
        sql.push(&format!(" AND (l.bedrooms IS NULL OR l.bedrooms >= {p})"));
    }
    if let Some(area) = req.min_area_m2.filter(|a| *a > 0.0) {
        let p = sql.arg(area * (1.0 - fieldwork_app::listings::AREA_TOLERANCE));
        sql.push(&format!(" AND (l.area_m2 IS NULL OR l.area_m2 >= CAST({p} AS DOUBLE PRECISION))"));
    }
    if !req.wanted_territories.is_empty() {
        let list: Vec<String> = req.wanted_territories.iter().map(|t| sql.arg(t.to_string())).collect();
        sql.push(&format!(" AND l.territory_id IN ({})", list.join(", ")));
    }
    for feature in &req.features {
        let p = sql.arg(format!("%\"{feature}\"%"));
        sql.push(&format!(" AND l.features LIKE {p}"));
    }
    scoped(&mut sql, scope);
    // `fit`'s penalty (100 − score) as SQL: the database ranks, `fit` scores and explains the best.
    let mut penalty = vec!["0".to_string()];
    if let Some(max) = req.price_max.as_ref().filter(|m| m.amount() > 0) {
        let p = sql.arg(max.amount());
        penalty.push(format!(
            "CASE WHEN l.price_amount > {p} THEN CAST(l.price_amount - {p} AS DOUBLE PRECISION) * 300.0 / {p} ELSE 0 END"
        ));
    }
    if let Some(min) = &req.price_min {
        let p = sql.arg(min.amount());
        penalty.push(format!("CASE WHEN l.price_amount < {p} THEN 5 ELSE 0 END"));
    }
    if let Some(wanted) = req.min_bedrooms.filter(|b| *b > 0) {
        let p = sql.arg(i64::from(wanted));
        penalty.push(format!("CASE WHEN l.bedrooms IS NULL THEN 10 WHEN l.bedrooms >= {p} THEN 0 ELSE 20 END"));
    }
    if let Some(wanted) = req.min_area_m2.filter(|a| *a > 0.0) {
        let p = sql.arg(wanted);
        penalty.push(format!(
            "CASE WHEN l.area_m2 IS NULL THEN 10 WHEN l.area_m2 >= CAST({p} AS DOUBLE PRECISION) THEN 0 \
             ELSE 150.0 * (CAST({p} AS DOUBLE PRECISION) - l.area_m2) / CAST({p} AS DOUBLE PRECISION) END"
        ));
    }
    let l = sql.arg(i64::try_from(4 * fieldwork_app::listings::MAX_MATCHES).unwrap_or(200));
    sql.push(&format!(" ORDER BY {}, l.id DESC LIMIT {l}", penalty.join(" + ")));
    let rows: Vec<Row> = sql.query_as().fetch_all(db.pool()).await?;
    rows.into_iter()
        .map(|r| {
            let features = parse_col(serde_json::from_str(&r.features), "listings.features")?;
            Ok((r.summary.try_into()?, features))
        })
        .collect()
}

/// Listings by id (in scope), in no particular order.
pub async fn summaries(db: &Db, scope: &Scope, ids: &[String]) -> StoreResult<Vec<ListingSummary>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut sql = Sql::new(&format!("SELECT {SUMMARY} FROM listings l WHERE l.deleted = 0 AND l.id IN ("));
    let list: Vec<String> = ids.iter().map(|id| sql.arg(id.as_str())).collect();
    sql.push(&list.join(", ")).push(")");
    scoped(&mut sql, scope);
    let rows: Vec<SummaryRow> = sql.query_as().fetch_all(db.pool()).await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

/// One listing with its photos, when it is in scope.
pub async fn get(conn: &mut sqlx::AnyConnection, scope: &Scope, id: ListingId) -> StoreResult<Listing> {
    let mut sql = Sql::new(&format!("SELECT {FULL} FROM {FULL_FROM} WHERE l.deleted = 0 AND l.id = "));
    let p = sql.arg(id.to_string());
    sql.push(&p);
    scoped(&mut sql, scope);
    let row: Option<ListingRow> = sql.query_as().fetch_optional(&mut *conn).await?;
    let row = row.ok_or(StoreError::NotFound)?;
    let photos = photos(&mut *conn, id).await?;
    row.into_listing(photos)
}

/// The reference a new listing gets when none is given: `L` + year + the change sequence value
/// of its write (unique, and short enough to read out on the phone).
pub fn generated_reference(version: i64) -> String {
    use chrono::Datelike;
    format!("L{}-{version:05}", chrono::Utc::now().year() % 100)
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds `$3`…`$24` of the insert and the update, which share that order: the facts, status,
/// territory and agent, then the time and the version (`$1`, `$2` are the id and reference).
fn bind_facts<'q>(
    query: Query<'q>,
    status: ListingStatus,
    facts: &'q ListingFacts,
    territory: Option<TerritoryId>,
    agent: Option<UserId>,
    (now, version): (i64, i64),
) -> Query<'q> {
    query
        .bind(&facts.title)
        .bind(facts.kind.as_str())
        .bind(facts.transaction.as_str())
        .bind(status.as_str())
        .bind(facts.price.amount())
        .bind(facts.price.currency().as_str())
        .bind(facts.rent_period.clone())
        .bind(crate::db::float_param(facts.area_m2))
        .bind(facts.bedrooms.map(i64::from))
        .bind(facts.bathrooms.map(i64::from))
        .bind(facts.floor.map(i64::from))
        .bind(facts.year_built.map(i64::from))
        .bind(serde_json::to_string(&facts.features).unwrap_or_else(|_| "[]".into()))
        .bind(facts.description.clone())
        .bind(facts.address.clone())
        .bind(crate::db::float_param(facts.location.map(|p| p.lat())))
        .bind(crate::db::float_param(facts.location.map(|p| p.lon())))
        .bind(territory.map(|t| t.to_string()))
        .bind(facts.owner_contact_id.map(|c| c.to_string()))
        .bind(agent.map(|a| a.to_string()))
        .bind(now)
        .bind(version)
}

/// Writes a new listing (its custom values already checked by the caller) and the first step
/// of its history.
pub(super) async fn insert(
    tx: &mut WriteTx,
    new: &NewListing,
    custom: &CustomValues,
    territory: Option<TerritoryId>,
    agent: Option<UserId>,
    by: UserId,
) -> StoreResult<Listing> {
    let (id, status, facts) = (new.id, new.status, &new.facts);
    let version = tx.next_version().await?;
    let now = now_ms();
    let reference = new.reference.clone().unwrap_or_else(|| generated_reference(version));
    let query = sqlx::query(
        "INSERT INTO listings (id, reference, title, kind, transaction_type, status, price_amount, price_currency, \
         rent_period, area_m2, bedrooms, bathrooms, floor, year_built, features, description, address, lat, lon, \
         territory_id, owner_contact_id, agent_id, created_at, updated_at, version, custom, deleted) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CAST($10 AS DOUBLE PRECISION), $11, $12, $13, $14, $15, $16, $17, \
         CAST($18 AS DOUBLE PRECISION), CAST($19 AS DOUBLE PRECISION), $20, $21, $22, $23, $23, $24, $25, 0)",
    )
    .bind(id.to_string())
    .bind(&reference);
    bind_facts(query, status, facts, territory, agent, (now, version))
        .bind(crate::fields::json(custom))
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::unique(e, "a listing with this id or reference already exists"))?;
    record_status(tx, id, None, status, by, now).await?;
    get(tx.conn(), &Scope::All, id).await
}

/// Writes the facts, reference, status, agent and custom values of a listing (a status change
/// also goes into the history).
#[allow(clippy::too_many_arguments)]
pub(super) async fn update(
    tx: &mut WriteTx,
    current: &Listing,
    reference: &str,
    status: ListingStatus,
    facts: &ListingFacts,
    custom: &CustomValues,
    territory: Option<TerritoryId>,
    agent: Option<UserId>,
    by: UserId,
) -> StoreResult<Listing> {
    let version = tx.next_version().await?;
    let now = now_ms();
    let query = sqlx::query(
        "UPDATE listings SET reference = $2, title = $3, kind = $4, transaction_type = $5, status = $6, \
         price_amount = $7, price_currency = $8, rent_period = $9, area_m2 = CAST($10 AS DOUBLE PRECISION), \
         bedrooms = $11, bathrooms = $12, floor = $13, year_built = $14, features = $15, description = $16, \
         address = $17, lat = CAST($18 AS DOUBLE PRECISION), lon = CAST($19 AS DOUBLE PRECISION), territory_id = $20, \
         owner_contact_id = $21, agent_id = $22, updated_at = $23, version = $24, custom = $25 WHERE id = $1",
    )
    .bind(current.id.to_string())
    .bind(reference);
    bind_facts(query, status, facts, territory, agent, (now, version))
        .bind(crate::fields::json(custom))
        .execute(tx.conn())
        .await
        .map_err(|e| StoreError::unique(e, "another listing has this reference"))?;
    if status != current.status {
        record_status(tx, current.id, Some(current.status), status, by, now).await?;
    }
    get(tx.conn(), &Scope::All, current.id).await
}

async fn record_status(
    tx: &mut WriteTx,
    id: ListingId,
    from: Option<ListingStatus>,
    to: ListingStatus,
    by: UserId,
    at: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO listing_status_history (id, listing_id, from_status, to_status, at, by_user_id) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(id.to_string())
    .bind(from.map(ListingStatus::as_str))
    .bind(to.as_str())
    .bind(at)
    .bind(by.to_string())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Every status change of a listing, oldest first.
pub async fn history(db: &Db, id: ListingId) -> StoreResult<Vec<StatusChange>> {
    type Row = (Option<String>, String, i64, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT h.from_status, h.to_status, h.at, h.by_user_id, u.name FROM listing_status_history h \
         LEFT JOIN users u ON u.id = h.by_user_id WHERE h.listing_id = $1 ORDER BY h.at, h.id",
    )
    .bind(id.to_string())
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(from, to, at, by, by_name)| {
            Ok(StatusChange {
                from: from.as_deref().map(status).transpose()?,
                to: status(&to)?,
                at: from_ms(at),
                by: parse_opt_id(by.as_deref(), "listing_status_history.by_user_id")?,
                by_name,
            })
        })
        .collect()
}

/// Deletes a listing (a tombstone) and turns its share link off.
pub async fn delete(tx: &mut WriteTx, id: ListingId) -> StoreResult<()> {
    sqlx::query("UPDATE listings SET share_token = NULL WHERE id = $1").bind(id.to_string()).execute(tx.conn()).await?;
    Ok(crate::db::tombstone(tx, "listings", &id.to_string()).await?)
}

/// The showings of a listing (appointments of kind `showing`), newest first, with each one's
/// visit feedback.
pub async fn showings(db: &Db, id: ListingId) -> StoreResult<Vec<Showing>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        starts_at: i64,
        status: String,
        contact_id: Option<String>,
        contact_name: Option<String>,
        assignee_id: Option<String>,
        assignee_name: Option<String>,
        visit_id: Option<String>,
        outcome: Option<String>,
        buyer_reaction: Option<String>,
        notes: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.id, a.starts_at, a.status, a.contact_id, c.name AS contact_name, a.assignee_id, \
         u.name AS assignee_name, v.id AS visit_id, v.outcome, v.buyer_reaction, v.notes \
         FROM appointments a LEFT JOIN contacts c ON c.id = a.contact_id LEFT JOIN users u ON u.id = a.assignee_id \
         LEFT JOIN visits v ON v.appointment_id = a.id AND v.deleted = 0 \
         WHERE a.deleted = 0 AND a.kind = 'showing' AND a.listing_id = $1 ORDER BY a.starts_at DESC LIMIT 200",
    )
    .bind(id.to_string())
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Showing {
                appointment_id: parse_id(&r.id, "appointments.id")?,
                starts_at: from_ms(r.starts_at),
                status: parse_col(
                    fieldwork_app::appointments::AppointmentStatus::parse(&r.status).ok_or("unknown"),
                    "appointments.status",
                )?,
                contact_id: parse_opt_id(r.contact_id.as_deref(), "appointments.contact_id")?,
                contact_name: r.contact_name,
                assignee_id: parse_opt_id(r.assignee_id.as_deref(), "appointments.assignee_id")?,
                assignee_name: r.assignee_name,
                visit_id: parse_opt_id(r.visit_id.as_deref(), "visits.id")?,
                outcome: r.outcome,
                buyer_reaction: r.buyer_reaction.as_deref().and_then(fieldwork_app::visits::BuyerReaction::parse),
                notes: r.notes,
            })
        })
        .collect()
}

/// The listing's title and position, when it is in the caller's scope (for appointments and
/// visits that refer to it).
pub async fn place<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    scope: &Scope,
    id: ListingId,
) -> StoreResult<(String, Option<GeoPoint>)> {
    let (scope_sql, binds) = scope.predicate("agent_id", Some("territory_id"), 2);
    let sql = format!("SELECT title, lat, lon FROM listings WHERE deleted = 0 AND id = $1 AND {scope_sql}");
    let row: Option<(String, Option<f64>, Option<f64>)> = binds
        .iter()
        .fold(sqlx::query_as(&sql).bind(id.to_string()), sqlx::query::QueryAs::bind)
        .fetch_optional(exec)
        .await?;
    let (title, lat, lon) = row.ok_or(StoreError::NotFound)?;
    Ok((title, point(lat, lon)))
}

/// True when `user` sees listing `id` by their own scope (they are its agent, or it lies in a
/// territory assigned to them today).
pub async fn visible_to(db: &Db, id: ListingId, user: UserId) -> StoreResult<bool> {
    let scope = Scope::Users(vec![user], chrono::Utc::now().date_naive());
    let mut conn = db.pool().acquire().await?;
    match get(&mut conn, &scope, id).await {
        Ok(_) => Ok(true),
        Err(StoreError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The listing exists (and is not deleted), whoever's it is: a deal may name a listing out
/// of the caller's scope.
pub(crate) async fn check_exists(conn: &mut sqlx::AnyConnection, id: ListingId) -> StoreResult<()> {
    let found: Option<String> = sqlx::query_scalar("SELECT id FROM listings WHERE id = $1 AND deleted = 0")
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?;
    found.map(|_| ()).ok_or(StoreError::NotFound)
}

/// The owner contact must be a contact the caller can see.
pub async fn check_owner_contact(conn: &mut sqlx::AnyConnection, scope: &Scope, id: ContactId) -> StoreResult<()> {
    crate::contacts::store::get(conn, scope, &id.to_string()).await.map(|_| ())
}
