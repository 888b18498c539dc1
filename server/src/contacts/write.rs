//! SQL that writes contacts. The caller owns the transaction and has already checked scope
//! and permissions; every write here also keeps the search index in step and takes a new
//! `version` from the change sequence.

use super::store::{self, name_of};
use crate::db::{float_param, now_ms, Dialect, StoreError, StoreResult, WriteTx};
use crate::scope::Scope;
use fieldwork_app::common::{ContactId, FieldError, FieldErrors, TerritoryId, UserId};
use fieldwork_app::contacts::search::{head, SearchFields};
use fieldwork_app::contacts::{Contact, ContactChanges, NewContact};
use fieldwork_app::fields::{CustomValues, RecordType};

/// Creates a contact (owner, territory, company and custom values already decided by the caller).
pub(super) async fn insert(
    tx: &mut WriteTx,
    contact: &NewContact,
    owner: Option<UserId>,
    territory: Option<TerritoryId>,
    custom: &CustomValues,
) -> StoreResult<Contact> {
    let version = tx.next_version().await?;
    let now = now_ms();
    let company = match contact.company_id {
        Some(company) => Some(company_name(tx, company).await?),
        None => None,
    };
    let fields = Fields {
        kind: contact.kind.as_str(),
        name: &contact.name,
        company_id: contact.company_id.map(|c| c.to_string()),
        lifecycle: contact.lifecycle.as_str(),
        source: contact.source.clone(),
        tags: contact.tags.clone(),
        phones: contact.phones.iter().map(|p| p.as_str().to_string()).collect(),
        emails: contact.emails.iter().map(|e| e.as_str().to_string()).collect(),
        address: contact.address.clone(),
        lat: contact.location.map(|l| l.lat()),
        lon: contact.location.map(|l| l.lon()),
        territory_id: territory.map(|t| t.to_string()),
        owner_id: owner.map(|o| o.to_string()),
        preferred_channel: contact.preferred_channel.map(|c| c.as_str().to_string()),
        language: contact.language.clone(),
        time_zone: contact.time_zone.as_ref().map(|z| z.as_str().to_string()),
        consent: [contact.consent.email, contact.consent.sms, contact.consent.calls],
        notes: contact.notes.clone(),
        archived: false,
    };
    let custom_text = crate::fields::actions::search_text(tx, RecordType::Contact, custom).await?;
    let search = SearchFields {
        name: &contact.name,
        company: company.as_deref(),
        emails: &fields.emails,
        phones: &contact.phones,
        tags: &fields.tags,
        custom: &custom_text,
    };
    let doc = index_words(tx, &search).await?;
    sqlx::query(
        "INSERT INTO contacts (id, kind, name, company_id, lifecycle, source, tags, phones, emails, address, lat, lon, \
         territory_id, owner_id, preferred_channel, language, time_zone, consent_email, consent_sms, consent_calls, \
         notes, archived, created_at, updated_at, version, deleted, search_doc, primary_phone, primary_email, custom) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CAST($11 AS DOUBLE PRECISION), CAST($12 AS DOUBLE PRECISION), $13, $14, $15, $16, $17, $18, $19, $20, $21, 0, \
         $22, $22, $23, 0, $24, $25, $26, $27)",
    )
    .bind(contact.id.to_string())
    .bind(fields.kind)
    .bind(fields.name)
    .bind(fields.company_id.clone())
    .bind(fields.lifecycle)
    .bind(fields.source.clone())
    .bind(json(&fields.tags))
    .bind(json(&fields.phones))
    .bind(json(&fields.emails))
    .bind(fields.address.clone())
    .bind(float_param(fields.lat))
    .bind(float_param(fields.lon))
    .bind(fields.territory_id.clone())
    .bind(fields.owner_id.clone())
    .bind(fields.preferred_channel.clone())
    .bind(fields.language.clone())
    .bind(fields.time_zone.clone())
    .bind(i64::from(fields.consent[0]))
    .bind(i64::from(fields.consent[1]))
    .bind(i64::from(fields.consent[2]))
    .bind(fields.notes.clone())
    .bind(now)
    .bind(version)
    .bind(&doc)
    .bind(fields.phones.first())
    .bind(fields.emails.first())
    .bind(crate::fields::json(custom))
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::unique(e, "a contact with this id already exists"))?;
    write_search_row(tx, contact.id, &doc).await?;
    store::get(tx.conn(), &Scope::All, &contact.id.to_string()).await
}

/// Which stage moves an update may make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stages {
    /// Only along the lifecycle's transitions (every edit).
    Forward,
    /// Any: putting back the stage a bulk run replaced.
    Back,
}

/// Applies the present fields of `changes` to `current` (already read in this transaction);
/// `custom`, when given, is the contact's custom values from now on.
pub(super) async fn update(
    tx: &mut WriteTx,
    current: &Contact,
    changes: &ContactChanges,
    territory: Option<TerritoryId>,
    custom: Option<&CustomValues>,
    stages: Stages,
) -> StoreResult<Contact> {
    if let Some(base) = changes.base_version {
        if base != current.version {
            return Err(StoreError::Conflict(format!(
                "the contact changed since you loaded it (version {} now, {base} sent); reload and try again",
                current.version
            )));
        }
    }
    if let Some(to) = changes.lifecycle {
        if to != current.lifecycle && stages == Stages::Forward && !current.lifecycle.can_become(to) {
            let mut e = FieldErrors::new();
            e.add("lifecycle", FieldError::NotAllowed);
            return Err(StoreError::Invalid(e));
        }
    }
    let company_id = changes.company_id.unwrap_or(current.company_id);
    if company_id == Some(current.id) {
        let mut e = FieldErrors::new();
        e.add("company_id", FieldError::NotAllowed);
        return Err(StoreError::Invalid(e));
    }
    let company = match company_id {
        Some(company) => Some(company_name(tx, company).await?),
        None => None,
    };
    let version = tx.next_version().await?;
    let location = changes.location.unwrap_or(current.location);
    let phones = changes.phones.clone().unwrap_or_else(|| current.phones.clone());
    let consent = changes.consent.unwrap_or(current.consent);
    let fields = Fields {
        kind: changes.kind.unwrap_or(current.kind).as_str(),
        name: changes.name.as_ref().unwrap_or(&current.name),
        company_id: company_id.map(|c| c.to_string()),
        lifecycle: changes.lifecycle.unwrap_or(current.lifecycle).as_str(),
        source: changes.source.clone().unwrap_or_else(|| current.source.clone()),
        tags: changes.tags.clone().unwrap_or_else(|| current.tags.clone()),
        phones: phones.iter().map(|p| p.as_str().to_string()).collect(),
        emails: changes.emails.as_ref().unwrap_or(&current.emails).iter().map(|e| e.as_str().to_string()).collect(),
        address: changes.address.clone().unwrap_or_else(|| current.address.clone()),
        lat: location.map(|l| l.lat()),
        lon: location.map(|l| l.lon()),
        territory_id: territory.map(|t| t.to_string()),
        owner_id: changes.owner_id.unwrap_or(current.owner_id).map(|o| o.to_string()),
        preferred_channel: changes
            .preferred_channel
            .unwrap_or(current.preferred_channel)
            .map(|c| c.as_str().to_string()),
        language: changes.language.clone().unwrap_or_else(|| current.language.clone()),
        time_zone: changes.time_zone.as_ref().unwrap_or(&current.time_zone).as_ref().map(|z| z.as_str().to_string()),
        consent: [consent.email, consent.sms, consent.calls],
        notes: changes.notes.clone().unwrap_or_else(|| current.notes.clone()),
        archived: changes.archived.unwrap_or(current.archived),
    };
    let custom_text =
        crate::fields::actions::search_text(tx, RecordType::Contact, custom.unwrap_or(&current.custom)).await?;
    let search = SearchFields {
        name: fields.name,
        company: company.as_deref(),
        emails: &fields.emails,
        phones: &phones,
        tags: &fields.tags,
        custom: &custom_text,
    };
    let doc = index_words(tx, &search).await?;
    sqlx::query(
        "UPDATE contacts SET kind = $2, name = $3, company_id = $4, lifecycle = $5, source = $6, tags = $7, \
         phones = $8, emails = $9, address = $10, lat = CAST($11 AS DOUBLE PRECISION), lon = CAST($12 AS DOUBLE PRECISION), territory_id = $13, owner_id = $14, \
         preferred_channel = $15, language = $16, time_zone = $17, consent_email = $18, consent_sms = $19, \
         consent_calls = $20, notes = $21, archived = $22, updated_at = $23, version = $24, search_doc = $25, \
         primary_phone = $26, primary_email = $27, custom = $28 WHERE id = $1",
    )
    .bind(current.id.to_string())
    .bind(fields.kind)
    .bind(fields.name)
    .bind(fields.company_id.clone())
    .bind(fields.lifecycle)
    .bind(fields.source.clone())
    .bind(json(&fields.tags))
    .bind(json(&fields.phones))
    .bind(json(&fields.emails))
    .bind(fields.address.clone())
    .bind(float_param(fields.lat))
    .bind(float_param(fields.lon))
    .bind(fields.territory_id.clone())
    .bind(fields.owner_id.clone())
    .bind(fields.preferred_channel.clone())
    .bind(fields.language.clone())
    .bind(fields.time_zone.clone())
    .bind(i64::from(fields.consent[0]))
    .bind(i64::from(fields.consent[1]))
    .bind(i64::from(fields.consent[2]))
    .bind(fields.notes.clone())
    .bind(i64::from(fields.archived))
    .bind(now_ms())
    .bind(version)
    .bind(&doc)
    .bind(fields.phones.first())
    .bind(fields.emails.first())
    .bind(crate::fields::json(custom.unwrap_or(&current.custom)))
    .execute(tx.conn())
    .await?;
    write_search_row(tx, current.id, &doc).await?;
    store::get(tx.conn(), &Scope::All, &current.id.to_string()).await
}

/// Tombstones a contact (sync clients learn of it through its new version) and drops it
/// from the search index.
pub(super) async fn delete(tx: &mut WriteTx, id: ContactId) -> StoreResult<()> {
    let version = tx.next_version().await?;
    sqlx::query("UPDATE contacts SET deleted = 1, updated_at = $2, version = $3, search_doc = '' WHERE id = $1")
        .bind(id.to_string())
        .bind(now_ms())
        .bind(version)
        .execute(tx.conn())
        .await?;
    if let Some((remove, _)) = Dialect::of(tx.engine()).search_write {
        sqlx::query(remove).bind(search_key(id)).execute(tx.conn()).await?;
    }
    Ok(())
}

/// Marks that something happened with the contact at `at` (for the stale view).
pub(super) async fn touch(tx: &mut WriteTx, id: ContactId, at: i64) -> StoreResult<()> {
    sqlx::query(
        "UPDATE contacts SET last_activity_at = $2 WHERE id = $1 AND (last_activity_at IS NULL OR last_activity_at < $2)",
    )
    .bind(id.to_string())
    .bind(at)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Withdraws the contact's consent to email (they followed an unsubscribe link).
pub(super) async fn withdraw_email_consent(tx: &mut WriteTx, id: ContactId) -> StoreResult<()> {
    let version = tx.next_version().await?;
    sqlx::query("UPDATE contacts SET consent_email = 0, updated_at = $2, version = $3 WHERE id = $1")
        .bind(id.to_string())
        .bind(now_ms())
        .bind(version)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// The stored fields of a contact, as written.
struct Fields<'a> {
    kind: &'a str,
    name: &'a str,
    company_id: Option<String>,
    lifecycle: &'a str,
    source: Option<String>,
    tags: Vec<String>,
    phones: Vec<String>,
    emails: Vec<String>,
    address: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    territory_id: Option<String>,
    owner_id: Option<String>,
    preferred_channel: Option<String>,
    language: Option<String>,
    time_zone: Option<String>,
    consent: [bool; 3],
    notes: Option<String>,
    archived: bool,
}

fn json(list: &[String]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

/// A company a contact belongs to must exist and be a company.
async fn company_name(tx: &mut WriteTx, company: ContactId) -> StoreResult<String> {
    let kind: Option<(String, String)> =
        sqlx::query_as("SELECT name, kind FROM contacts WHERE id = $1 AND deleted = 0")
            .bind(company.to_string())
            .fetch_optional(tx.conn())
            .await?;
    match kind {
        Some((name, kind)) if kind == "company" => Ok(name),
        _ => {
            let mut e = FieldErrors::new();
            e.add("company_id", FieldError::NotAllowed);
            Err(StoreError::Invalid(e))
        }
    }
}

/// Builds the search document and records its words in the typo vocabulary.
async fn index_words(tx: &mut WriteTx, search: &SearchFields<'_>) -> StoreResult<String> {
    // One statement for all of a contact's words: an import writes a hundred thousand of these.
    let words = search.vocabulary();
    if !words.is_empty() {
        let rows: Vec<String> = (0..words.len()).map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2)).collect();
        let sql =
            format!("INSERT INTO search_terms (term, head) VALUES {} ON CONFLICT (term) DO NOTHING", rows.join(", "));
        words.iter().fold(sqlx::query(&sql), |q, word| q.bind(word).bind(head(word))).execute(tx.conn()).await?;
    }
    Ok(search.document())
}

/// The key of a contact's row in `SQLite`'s FTS5 table: the id's 63 low bits (random in a `UUIDv7`).
pub fn search_key(id: ContactId) -> i64 {
    let low = u64::try_from(id.0.as_u128() & u128::from(u64::MAX)).unwrap_or_default();
    i64::try_from(low & (i64::MAX as u64)).unwrap_or_default()
}

async fn write_search_row(tx: &mut WriteTx, id: ContactId, doc: &str) -> StoreResult<()> {
    if let Some((remove, insert)) = Dialect::of(tx.engine()).search_write {
        let key = search_key(id);
        sqlx::query(remove).bind(key).execute(tx.conn()).await?;
        sqlx::query(insert)
            .bind(key)
            .bind(id.to_string())
            .bind(doc)
            .execute(tx.conn())
            .await
            .map_err(|e| StoreError::unique(e, "another contact's id collides with this one; use a new id"))?;
    }
    Ok(())
}

/// Fills the primary phone and email of contacts written before they were stored (see the
/// migration); returns how many it filled.
pub async fn backfill_primary(db: &crate::db::Db) -> StoreResult<u64> {
    let mut done = 0;
    loop {
        let mut tx = db.begin_write().await?;
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, phones, emails FROM contacts WHERE primary_phone IS NULL AND primary_email IS NULL \
             AND (phones <> '[]' OR emails <> '[]') LIMIT 1000",
        )
        .fetch_all(tx.conn())
        .await?;
        if rows.is_empty() {
            return Ok(done);
        }
        for (id, phones, emails) in rows {
            let first = |json: &str| serde_json::from_str::<Vec<String>>(json).ok().and_then(|v| v.into_iter().next());
            // '' marks "looked at, nothing to store" so the row is not picked up again.
            sqlx::query("UPDATE contacts SET primary_phone = $2, primary_email = $3 WHERE id = $1")
                .bind(&id)
                .bind(first(&phones).unwrap_or_default())
                .bind(first(&emails).unwrap_or_default())
                .execute(tx.conn())
                .await?;
            done += 1;
        }
        tx.commit().await?;
    }
}

/// Gives every contact without a search document one (after the search migration, or a
/// bulk load that skipped it). Runs in batches; returns how many contacts it indexed.
pub async fn backfill_search(db: &crate::db::Db) -> StoreResult<u64> {
    let mut done = 0;
    loop {
        let mut tx = db.begin_write().await?;
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT id FROM contacts WHERE search_doc = '' AND deleted = 0 LIMIT 500")
                .fetch_all(tx.conn())
                .await?;
        if ids.is_empty() {
            return Ok(done);
        }
        for id in &ids {
            let c = store::get(tx.conn(), &Scope::All, id).await?;
            let company = match c.company_id {
                Some(company) => name_of(tx.conn(), &company.to_string()).await?,
                None => None,
            };
            let emails: Vec<String> = c.emails.iter().map(|e| e.as_str().to_string()).collect();
            let custom_text = crate::fields::actions::search_text(&mut tx, RecordType::Contact, &c.custom).await?;
            let search = SearchFields {
                name: &c.name,
                company: company.as_deref(),
                emails: &emails,
                phones: &c.phones,
                tags: &c.tags,
                custom: &custom_text,
            };
            let doc = index_words(&mut tx, &search).await?;
            // A contact with nothing searchable still gets a non-empty document, so it is not
            // picked up again.
            let doc = if doc.is_empty() { " ".to_string() } else { doc };
            sqlx::query("UPDATE contacts SET search_doc = $2 WHERE id = $1")
                .bind(id)
                .bind(&doc)
                .execute(tx.conn())
                .await?;
            write_search_row(&mut tx, c.id, &doc).await?;
            done += 1;
        }
        tx.commit().await?;
    }
}
