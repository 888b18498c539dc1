//! Buyer and tenant requirements (one per contact and transaction) and matching them against
//! listings. SQL narrows the candidates with the indexed facts (transaction, currency, price
//! ceiling, bedrooms, area); [`fit`] decides and scores in Rust, the same rule the browser shows.

use super::store as listings;
use crate::db::{now_ms, parse_col, Db, Sql, StoreError, StoreResult, WriteTx};
use crate::scope::Scope;
use fieldwork_app::common::{ContactId, Money, TerritoryId, UserId};
use fieldwork_app::listings::{
    best, fit, summary, BuyerMatch, Listing, ListingKind, ListingMatch, Offer, Requirement, Transaction, FEATURES,
    MAX_MATCHES,
};

const COLUMNS: &str = "r.contact_id, r.transaction_type, r.kinds, r.price_min, r.price_max, r.currency, \
    r.min_bedrooms, r.min_area_m2, r.wanted_territories, r.features";

#[derive(sqlx::FromRow)]
struct RequirementRow {
    contact_id: String,
    transaction_type: String,
    kinds: String,
    price_min: Option<i64>,
    price_max: Option<i64>,
    currency: String,
    min_bedrooms: Option<i64>,
    min_area_m2: Option<f64>,
    wanted_territories: String,
    features: String,
}

impl RequirementRow {
    fn into_requirement(self) -> StoreResult<Requirement> {
        let money = |amount: Option<i64>| -> StoreResult<Option<Money>> {
            amount.map(|a| parse_col(Money::new(a, &self.currency), "requirements.currency")).transpose()
        };
        Ok(Requirement {
            transaction: parse_col(
                Transaction::parse(&self.transaction_type).ok_or("unknown"),
                "requirements.transaction_type",
            )?,
            kinds: parse_col(serde_json::from_str::<Vec<ListingKind>>(&self.kinds), "requirements.kinds")?,
            price_min: money(self.price_min)?,
            price_max: money(self.price_max)?,
            min_bedrooms: self.min_bedrooms.and_then(|b| i32::try_from(b).ok()),
            min_area_m2: self.min_area_m2,
            wanted_territories: parse_col(
                serde_json::from_str::<Vec<TerritoryId>>(&self.wanted_territories),
                "requirements.wanted_territories",
            )?,
            features: parse_col(serde_json::from_str(&self.features), "requirements.features")?,
        })
    }
}

/// A contact's live requirements (sale first).
pub async fn of_contact(db: &Db, contact: ContactId) -> StoreResult<Vec<Requirement>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM requirements r WHERE r.deleted = 0 AND r.contact_id = $1 ORDER BY r.transaction_type DESC"
    );
    let rows: Vec<RequirementRow> = sqlx::query_as(&sql).bind(contact.to_string()).fetch_all(db.pool()).await?;
    rows.into_iter().map(RequirementRow::into_requirement).collect()
}

/// Sets the contact's requirement for its transaction, replacing the one before.
pub async fn put(tx: &mut WriteTx, contact: ContactId, req: &Requirement) -> StoreResult<()> {
    let version = tx.next_version().await?;
    let now = now_ms();
    let currency = req.currency().unwrap_or_default().to_string();
    let existing: Option<String> = sqlx::query_scalar(
        "SELECT id FROM requirements WHERE deleted = 0 AND contact_id = $1 AND transaction_type = $2",
    )
    .bind(contact.to_string())
    .bind(req.transaction.as_str())
    .fetch_optional(tx.conn())
    .await?;
    let id = existing.clone().unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    let sql = if existing.is_some() {
        "UPDATE requirements SET contact_id = $2, transaction_type = $3, kinds = $4, price_min = $5, price_max = $6, \
         currency = $7, min_bedrooms = $8, min_area_m2 = CAST($9 AS DOUBLE PRECISION), wanted_territories = $10, \
         features = $11, updated_at = $12, version = $13 WHERE id = $1"
    } else {
        "INSERT INTO requirements (id, contact_id, transaction_type, kinds, price_min, price_max, currency, min_bedrooms, \
         min_area_m2, wanted_territories, features, created_at, updated_at, version, deleted) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CAST($9 AS DOUBLE PRECISION), $10, $11, $12, $12, $13, 0)"
    };
    sqlx::query(sql)
        .bind(id)
        .bind(contact.to_string())
        .bind(req.transaction.as_str())
        .bind(json(&req.kinds))
        .bind(req.price_min.as_ref().map(Money::amount))
        .bind(req.price_max.as_ref().map(Money::amount))
        .bind(currency)
        .bind(req.min_bedrooms.map(i64::from))
        .bind(crate::db::float_param(req.min_area_m2))
        .bind(json(&req.wanted_territories))
        .bind(json(&req.features))
        .bind(now)
        .bind(version)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Removes the contact's requirement for `transaction`.
pub async fn remove(tx: &mut WriteTx, contact: ContactId, transaction: Transaction) -> StoreResult<()> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT id FROM requirements WHERE deleted = 0 AND contact_id = $1 AND transaction_type = $2",
    )
    .bind(contact.to_string())
    .bind(transaction.as_str())
    .fetch_optional(tx.conn())
    .await?;
    let id = id.ok_or(StoreError::NotFound)?;
    Ok(crate::db::tombstone(tx, "requirements", &id).await?)
}

/// A list column's JSON text.
fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

/// How many candidates the database ranks for [`fit`] to score and explain (more than are shown,
/// so a rounding difference between the two never drops a better match).
const RANKED: i64 = 4 * MAX_MATCHES as i64;

/// [`fit`]'s penalty (100 − score) for `offer` against each requirement row, as SQL, so the
/// database ranks every candidate and only the best few travel to Rust. `fit` stays the rule:
/// it scores and explains what this ranks.
fn buyer_penalty(sql: &mut Sql, offer: &Offer) -> String {
    let p = sql.arg(offer.price.amount());
    let price = format!(
        "CASE WHEN r.price_max IS NOT NULL AND {p} > r.price_max \
         THEN CAST({p} - r.price_max AS DOUBLE PRECISION) * 300.0 / r.price_max \
         WHEN r.price_min IS NOT NULL AND {p} < r.price_min THEN 5 ELSE 0 END"
    );
    let bedrooms = match offer.bedrooms {
        Some(b) => {
            let p = sql.arg(i64::from(b));
            format!("CASE WHEN r.min_bedrooms IS NULL OR r.min_bedrooms <= {p} THEN 0 ELSE 20 END")
        }
        None => "CASE WHEN r.min_bedrooms IS NULL OR r.min_bedrooms <= 0 THEN 0 ELSE 10 END".to_string(),
    };
    let area = match offer.area_m2 {
        Some(a) => {
            let p = sql.arg(a);
            format!(
                "CASE WHEN r.min_area_m2 IS NULL OR r.min_area_m2 <= CAST({p} AS DOUBLE PRECISION) THEN 0 \
                 ELSE 150.0 * (r.min_area_m2 - CAST({p} AS DOUBLE PRECISION)) / r.min_area_m2 END"
            )
        }
        None => "CASE WHEN r.min_area_m2 IS NULL OR r.min_area_m2 <= 0 THEN 0 ELSE 10 END".to_string(),
    };
    format!("({price}) + ({bedrooms}) + ({area})")
}

/// The requirements `offer` could meet: the indexed facts narrow them (price within the
/// tolerance, bedrooms, area), and the hard rules on the list columns apply exactly (JSON arrays
/// of known words and ids).
fn requirement_filters(sql: &mut Sql, offer: &Offer) {
    sql.push("r.deleted = 0 AND r.transaction_type = ");
    let p = sql.arg(offer.transaction.as_str());
    sql.push(&p);
    let p = sql.arg(offer.price.currency().as_str());
    sql.push(&format!(" AND (r.currency = '' OR r.currency = {p})"));
    // The price may be up to the tolerance over the top price: max × 1.1 ≥ price.
    let p = sql.arg(offer.price.amount().saturating_mul(10));
    sql.push(&format!(" AND (r.price_max IS NULL OR r.price_max * 11 >= {p})"));
    if let Some(bedrooms) = offer.bedrooms {
        let p = sql.arg(i64::from(bedrooms) + 1);
        sql.push(&format!(" AND (r.min_bedrooms IS NULL OR r.min_bedrooms <= {p})"));
    }
    if let Some(area) = offer.area_m2 {
        let p = sql.arg(area);
        sql.push(&format!(" AND (r.min_area_m2 IS NULL OR r.min_area_m2 * 0.9 <= CAST({p} AS DOUBLE PRECISION))"));
    }
    let p = sql.arg(format!("%\"{}\"%", offer.kind.as_str()));
    sql.push(&format!(" AND (r.kinds = '[]' OR r.kinds LIKE {p})"));
    match offer.territory_id {
        Some(t) => {
            let p = sql.arg(format!("%\"{t}\"%"));
            sql.push(&format!(" AND (r.wanted_territories = '[]' OR r.wanted_territories LIKE {p})"));
        }
        None => {
            sql.push(" AND r.wanted_territories = '[]'");
        }
    }
    for missing in FEATURES.iter().filter(|f| !offer.features.iter().any(|has| has == *f)) {
        let p = sql.arg(format!("%\"{missing}\"%"));
        sql.push(&format!(" AND r.features NOT LIKE {p}"));
    }
}

/// Buyers and tenants in scope whose requirements `listing` meets, best first.
pub async fn buyers_for(db: &Db, scope: &Scope, listing: &Listing) -> StoreResult<Vec<BuyerMatch>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        name: String,
        owner_id: Option<String>,
        #[sqlx(flatten)]
        requirement: RequirementRow,
    }
    let offer = Offer::from(listing);
    let mut sql;
    if matches!(scope, Scope::All) {
        // Seeing every buyer (office staff, admins): the requirements are ranked on their own and
        // only the best few are joined to their contacts.
        sql = Sql::new(&format!("SELECT {COLUMNS}, r.id AS rid, "));
        let rank = buyer_penalty(&mut sql, &offer);
        sql.push(&format!("({rank}) AS penalty FROM requirements r WHERE "));
        requirement_filters(&mut sql, &offer);
        let l = sql.arg(RANKED);
        sql.push(&format!(" ORDER BY penalty, r.id LIMIT {l}"));
        let (inner, outer) = (sql.text().to_string(), COLUMNS.replace("r.", "x."));
        sql.replace_text(&format!(
            "SELECT c.name, c.owner_id, {outer} FROM ({inner}) x JOIN contacts c ON c.id = x.contact_id \
             WHERE c.deleted = 0 AND c.archived = 0 ORDER BY x.penalty, x.rid"
        ));
    } else {
        // A rep's or manager's scope lies on the contacts: those are joined first.
        sql = Sql::new(&format!(
            "SELECT c.name, c.owner_id, {COLUMNS} FROM requirements r JOIN contacts c ON c.id = r.contact_id \
             WHERE c.deleted = 0 AND c.archived = 0 AND "
        ));
        requirement_filters(&mut sql, &offer);
        sql.push(" AND ");
        let (scope_sql, binds) = scope.predicate("c.owner_id", Some("c.territory_id"), sql.next_index());
        sql.push_with(&scope_sql, binds);
        let rank = buyer_penalty(&mut sql, &offer);
        let l = sql.arg(RANKED);
        sql.push(&format!(" ORDER BY {rank}, r.id LIMIT {l}"));
    }
    let rows: Vec<Row> = sql.query_as().fetch_all(db.pool()).await?;
    let mut scored = Vec::new();
    for row in rows {
        let contact_id: ContactId = crate::db::parse_id(&row.requirement.contact_id, "requirements.contact_id")?;
        let owner_id: Option<UserId> = crate::db::parse_opt_id(row.owner_id.as_deref(), "contacts.owner_id")?;
        let requirement = row.requirement.into_requirement()?;
        if let Some(f) = fit(&offer, &requirement) {
            scored.push((f.score, (contact_id, row.name, owner_id, f.reasons)));
        }
    }
    Ok(best(scored, MAX_MATCHES)
        .into_iter()
        .map(|(score, (contact_id, contact_name, owner_id, reasons))| BuyerMatch {
            contact_id,
            contact_name,
            owner_id,
            score,
            summary: summary(&reasons),
            reasons,
        })
        .collect())
}

/// Listings on the market, in scope, that meet any of `requirements`, best first (a listing
/// that meets two keeps its better score).
pub async fn listings_for(db: &Db, scope: &Scope, requirements: &[Requirement]) -> StoreResult<Vec<ListingMatch>> {
    let mut scored: Vec<(u8, (fieldwork_app::listings::ListingSummary, Vec<fieldwork_app::listings::Reason>))> =
        Vec::new();
    for req in requirements {
        for (summary_row, features) in listings::market(db, scope, req).await? {
            let offer = Offer {
                kind: summary_row.kind,
                transaction: summary_row.transaction,
                price: summary_row.price.clone(),
                bedrooms: summary_row.bedrooms,
                area_m2: summary_row.area_m2,
                territory_id: summary_row.territory_id,
                features,
            };
            if let Some(f) = fit(&offer, req) {
                match scored.iter_mut().find(|(_, (l, _))| l.id == summary_row.id) {
                    Some(seen) if seen.0 >= f.score => {}
                    Some(seen) => *seen = (f.score, (summary_row, f.reasons)),
                    None => scored.push((f.score, (summary_row, f.reasons))),
                }
            }
        }
    }
    Ok(best(scored, MAX_MATCHES)
        .into_iter()
        .map(|(score, (listing, reasons))| ListingMatch { listing, score, summary: summary(&reasons), reasons })
        .collect())
}
