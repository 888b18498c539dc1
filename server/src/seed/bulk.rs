//! Bulk data for benchmarks: many contacts, written in large multi-row inserts with their
//! search documents (the same ones the API writes), in one transaction per batch.

use super::names::{email_address, mobile_number, person_name, tags};
use crate::contacts::write::search_key;
use crate::db::{now_ms, Db, StoreResult};
use fieldwork_app::common::{ContactId, GeoPoint, Phone, UserId};
use fieldwork_app::contacts::search::{head, SearchFields};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Rows per INSERT statement (9 values each, well under both engines' parameter limits).
const BATCH: usize = 500;

/// One generated contact.
pub struct Generated {
    pub id: ContactId,
    pub name: String,
    pub phone: Phone,
    pub email: String,
    pub tags: Vec<String>,
    pub owner: UserId,
    /// None from [`generate`]; benchmarks that need positions set them.
    pub location: Option<fieldwork_app::common::GeoPoint>,
}

/// A deterministic stream of realistic contacts: Bangladeshi first, middle and last names,
/// +880 mobile numbers, e-mail addresses and tags, owned round-robin by `owners`.
pub fn generate(seed: u64, n: usize, owners: &[UserId]) -> impl Iterator<Item = Generated> + '_ {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n).map(move |i| {
        let (first, last, name) = person_name(&mut rng, 0.4);
        let phone = Phone::parse(&mobile_number(&mut rng)).expect("valid");
        let email = email_address(first, last, i);
        let tags = tags(&mut rng);
        // Nine in ten have a position somewhere in Dhaka (what the map and territories work on).
        let location = rng
            .gen_bool(0.9)
            .then(|| GeoPoint::new(rng.gen_range(23.70..23.90), rng.gen_range(90.33..90.50)).ok())
            .flatten();
        Generated { id: ContactId::new(), name, phone, email, tags, owner: owners[i % owners.len()], location }
    })
}

/// Inserts `contacts` (and their search index rows); returns how many were written.
pub async fn insert_contacts(db: &Db, contacts: impl Iterator<Item = Generated>) -> StoreResult<usize> {
    let dialect = db.dialect();
    let m = |n: usize| dialect.bulk_param(n);
    let mut written = 0;
    let mut batch = Vec::with_capacity(BATCH);
    let mut contacts = contacts.peekable();
    while contacts.peek().is_some() {
        batch.clear();
        batch.extend(contacts.by_ref().take(BATCH));
        let mut tx = db.begin_write().await?;
        let version = tx.next_version().await?;
        let now = now_ms();
        let docs: Vec<(String, Vec<String>)> = batch
            .iter()
            .map(|c| {
                let emails = [c.email.clone()];
                let phones = [c.phone.clone()];
                let f = SearchFields {
                    name: &c.name,
                    company: None,
                    emails: &emails,
                    phones: &phones,
                    tags: &c.tags,
                    custom: &[],
                };
                (f.document(), f.vocabulary())
            })
            .collect();
        // Instants and the version are integers computed here, not input: formatted in, so each
        // row binds only its 11 values (positions as text, see `db::float_param`).
        let rows: Vec<String> = (0..batch.len())
            .map(|r| {
                let p: Vec<String> = (1..=11).map(|k| m(r * 11 + k)).collect();
                format!(
                    "({}, 'person', {}, 'lead', {}, CAST({} AS DOUBLE PRECISION), CAST({} AS DOUBLE PRECISION), \
                     {now}, {now}, {version}, 0, 0)",
                    p[0],
                    p[1],
                    p[2..9].join(", "),
                    p[9],
                    p[10]
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO contacts (id, kind, name, lifecycle, tags, phones, emails, owner_id, search_doc, primary_phone, \
             primary_email, lat, lon, created_at, updated_at, version, archived, deleted) VALUES {}",
            rows.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for (c, (doc, _)) in batch.iter().zip(&docs) {
            query = query
                .bind(c.id.to_string())
                .bind(&c.name)
                .bind(serde_json::to_string(&c.tags).unwrap_or_default())
                .bind(serde_json::to_string(&[c.phone.as_str()]).unwrap_or_default())
                .bind(serde_json::to_string(&[&c.email]).unwrap_or_default())
                .bind(c.owner.to_string())
                .bind(doc)
                .bind(c.phone.as_str())
                .bind(&c.email)
                .bind(crate::db::float_param(c.location.map(|l| l.lat())))
                .bind(crate::db::float_param(c.location.map(|l| l.lon())));
        }
        query.execute(tx.conn()).await?;
        if let Some((_, insert)) = dialect.search_write {
            let rows: Vec<String> =
                (0..batch.len()).map(|r| format!("({}, {}, {})", m(r * 3 + 1), m(r * 3 + 2), m(r * 3 + 3))).collect();
            let sql = insert.split(" VALUES ").next().unwrap_or(insert).to_string() + " VALUES " + &rows.join(", ");
            let mut query = sqlx::query(&sql);
            for (c, (doc, _)) in batch.iter().zip(&docs) {
                query = query.bind(search_key(c.id)).bind(c.id.to_string()).bind(doc);
            }
            query.execute(tx.conn()).await?;
        }
        let mut words: Vec<&String> = docs.iter().flat_map(|(_, v)| v).collect();
        words.sort();
        words.dedup();
        for chunk in words.chunks(BATCH) {
            let rows: Vec<String> = (0..chunk.len()).map(|r| format!("({}, {})", m(r * 2 + 1), m(r * 2 + 2))).collect();
            let sql = format!(
                "INSERT INTO search_terms (term, head) VALUES {} ON CONFLICT (term) DO NOTHING",
                rows.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for w in chunk {
                query = query.bind(w.as_str()).bind(head(w));
            }
            query.execute(tx.conn()).await?;
        }
        tx.commit().await?;
        written += batch.len();
    }
    Ok(written)
}
