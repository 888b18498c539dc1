//! A person's data rights: everything stored about one contact, as one JSON document (a
//! subject access request), and erasure — the person's details and words removed from every
//! record that holds them, while the records themselves (a call happened, a deal was won for
//! this amount, a survey scored 9) stay, so every report and aggregate keeps its numbers.

use crate::contacts::write::search_key;
use crate::db::{now_ms, Dialect, StoreError, StoreResult, WriteTx};
use fieldwork_app::common::ContactId;
use serde_json::{Map, Value};
use sqlx::{Column, Row};

/// What the name of an erased contact reads.
pub const ERASED: &str = "Erased contact";

/// Columns that are the server's bookkeeping or secrets, not data about the person.
const HIDDEN: [&str; 4] = ["token_hash", "search_doc", "idempotency_key", "version"];

/// The records about a contact, by section: `(section, SQL with $1 = the contact id)`.
const SECTIONS: [(&str, &str); 12] = [
    ("activities", "SELECT * FROM activities WHERE contact_id = $1 ORDER BY occurred_at, id"),
    ("appointments", "SELECT * FROM appointments WHERE contact_id = $1 ORDER BY starts_at, id"),
    ("visits", "SELECT * FROM visits WHERE contact_id = $1 ORDER BY check_in_at, id"),
    ("deals", "SELECT * FROM deals WHERE contact_id = $1 ORDER BY created_at, id"),
    (
        "deal_stage_history",
        "SELECT h.* FROM deal_stage_history h JOIN deals d ON d.id = h.deal_id WHERE d.contact_id = $1 ORDER BY h.at, h.id",
    ),
    ("tasks", "SELECT * FROM tasks WHERE contact_id = $1 ORDER BY created_at, id"),
    ("requirements", "SELECT * FROM requirements WHERE contact_id = $1 ORDER BY created_at, id"),
    ("feedback", "SELECT * FROM feedback WHERE contact_id = $1 ORDER BY created_at, id"),
    ("form_submissions", "SELECT * FROM form_submissions WHERE contact_id = $1 ORDER BY created_at, id"),
    ("emails", "SELECT * FROM email_outbox WHERE contact_id = $1 ORDER BY created_at, id"),
    ("unsubscribes", "SELECT * FROM unsubscribe_links WHERE contact_id = $1 ORDER BY created_at"),
    (
        "history",
        "SELECT id, at, actor_id, action, changes FROM audit_log WHERE entity = 'contact' AND entity_id = $1 ORDER BY at, id",
    ),
];

/// Everything stored about contact `id` (deleted or not): `{"contact": {…}, "activities": […], …}`.
pub async fn personal_data(conn: &mut sqlx::AnyConnection, id: ContactId) -> StoreResult<Value> {
    let id = id.to_string();
    let contact = sqlx::query("SELECT * FROM contacts WHERE id = $1")
        .bind(&id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let mut out = Map::new();
    out.insert("contact".into(), record(&contact)?);
    for (section, sql) in SECTIONS {
        let rows = sqlx::query(sql).bind(&id).fetch_all(&mut *conn).await?;
        out.insert(section.into(), Value::Array(rows.iter().map(record).collect::<StoreResult<_>>()?));
    }
    Ok(Value::Object(out))
}

/// A row as a JSON object (text that holds JSON — tags, phones, a form's payload — as JSON).
fn record(row: &sqlx::any::AnyRow) -> StoreResult<Value> {
    let mut out = Map::new();
    for column in row.columns() {
        let (name, i) = (column.name(), column.ordinal());
        if HIDDEN.contains(&name) {
            continue;
        }
        let value = if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
            v.map_or(Value::Null, Value::from)
        } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
            v.map_or(Value::Null, Value::from)
        } else {
            let text: Option<String> =
                row.try_get(i).map_err(|e| StoreError::Corrupt(format!("column {name}: {e}")))?;
            match text {
                Some(t) if t.starts_with(['[', '{']) => serde_json::from_str(&t).unwrap_or(Value::String(t)),
                Some(t) => Value::String(t),
                None => Value::Null,
            }
        };
        out.insert(name.to_string(), value);
    }
    Ok(Value::Object(out))
}

/// How many records an erasure changed, per kind.
#[derive(Debug, Default, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Erased {
    pub activities: u64,
    pub appointments: u64,
    pub visits: u64,
    pub deals: u64,
    pub tasks: u64,
    pub requirements: u64,
    pub feedback: u64,
    pub form_submissions: u64,
    pub emails: u64,
    pub notifications: u64,
    pub history: u64,
}

/// Erases contact `id` inside `tx`: its details, and the words about it in every record, go;
/// what happened, when, by whom and for how much stays. The contact becomes a tombstone named
/// [`ERASED`] (devices drop it), every changed synced record takes one new version.
pub async fn erase(tx: &mut WriteTx, id: ContactId) -> StoreResult<Erased> {
    let version = tx.next_version().await?;
    let now = now_ms();
    let key = id.to_string();
    let found = sqlx::query(
        "UPDATE contacts SET name = $2, phones = '[]', emails = '[]', tags = '[]', address = NULL, lat = NULL, \
         lon = NULL, preferred_channel = NULL, language = NULL, consent_email = 0, consent_sms = 0, \
         consent_calls = 0, notes = NULL, search_doc = '', primary_phone = NULL, primary_email = NULL, \
         deleted = 1, updated_at = $3, version = $4 WHERE id = $1",
    )
    .bind(&key)
    .bind(ERASED)
    .bind(now)
    .bind(version)
    .execute(tx.conn())
    .await?;
    if found.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    if let Some((remove, _)) = Dialect::of(tx.engine()).search_write {
        sqlx::query(remove).bind(search_key(id)).execute(tx.conn()).await?;
    }
    // Synced records: the words go, the facts stay, and devices get the new version.
    let synced = |set: &str, table: &str| {
        format!("UPDATE {table} SET {set}, updated_at = $2, version = $3 WHERE contact_id = $1")
    };
    let mut erased = Erased::default();
    for (count, table, set) in [
        (&mut erased.activities, "activities", "subject = NULL, body = ''"),
        (
            &mut erased.appointments,
            "appointments",
            "title = 'Erased', address = NULL, lat = NULL, lon = NULL, notes = NULL",
        ),
        (
            &mut erased.visits,
            "visits",
            "check_in_lat = NULL, check_in_lon = NULL, check_out_lat = NULL, check_out_lon = NULL, \
             notes = NULL, next_step = NULL",
        ),
        (&mut erased.deals, "deals", "title = 'Erased', lost_reason = NULL"),
        (&mut erased.tasks, "tasks", "title = 'Erased'"),
        (&mut erased.feedback, "feedback", "comment = NULL"),
        (&mut erased.requirements, "requirements", "wanted_area = NULL, features = '[]', deleted = 1"),
    ] {
        *count = sqlx::query(&synced(set, table))
            .bind(&key)
            .bind(now)
            .bind(version)
            .execute(tx.conn())
            .await?
            .rows_affected();
    }
    erased.form_submissions = sqlx::query("UPDATE form_submissions SET payload = '{}' WHERE contact_id = $1")
        .bind(&key)
        .execute(tx.conn())
        .await?
        .rows_affected();
    erased.emails = sqlx::query(
        "UPDATE email_outbox SET to_address = '', subject = '', body_text = '', body_html = NULL WHERE contact_id = $1",
    )
    .bind(&key)
    .execute(tx.conn())
    .await?
    .rows_affected();
    // Notifications about the contact link to it; their text may name the person.
    erased.notifications = sqlx::query("UPDATE notifications SET title = $2, body = '' WHERE link LIKE $1")
        .bind(format!("%{key}%"))
        .bind(ERASED)
        .execute(tx.conn())
        .await?
        .rows_affected();
    // Field values kept in the history of the contact and of its records (a task's title, a
    // deal's diff) and in sync conflicts are its old details.
    erased.history = sqlx::query(
        "UPDATE audit_log SET changes = '{}' WHERE (entity = 'contact' AND entity_id = $1) \
         OR (entity = 'activity' AND entity_id IN (SELECT id FROM activities WHERE contact_id = $1)) \
         OR (entity = 'appointment' AND entity_id IN (SELECT id FROM appointments WHERE contact_id = $1)) \
         OR (entity = 'visit' AND entity_id IN (SELECT id FROM visits WHERE contact_id = $1)) \
         OR (entity = 'deal' AND entity_id IN (SELECT id FROM deals WHERE contact_id = $1)) \
         OR (entity = 'task' AND entity_id IN (SELECT id FROM tasks WHERE contact_id = $1))",
    )
    .bind(&key)
    .execute(tx.conn())
    .await?
    .rows_affected();
    sqlx::query(
        "UPDATE sync_conflicts SET mine = 'null', theirs = 'null', deleted = 1, updated_at = $2, version = $3 \
         WHERE entity = 'contact' AND record_id = $1",
    )
    .bind(&key)
    .bind(now)
    .bind(version)
    .execute(tx.conn())
    .await?;
    Ok(erased)
}
