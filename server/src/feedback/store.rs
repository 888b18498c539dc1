//! SQL for feedback requests and answers.

use crate::db::{from_ms, now_ms, parse_col, StoreError, StoreResult, WriteTx};
use fieldwork_app::common::{ContactId, TimeZone};
use fieldwork_app::feedback::FeedbackAnswer;
use fieldwork_app::users::Language;
use fieldwork_app::visits::Visit;
use sha2::{Digest, Sha256};

pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(super) async fn insert_request(
    tx: &mut WriteTx,
    visit: &Visit,
    contact: ContactId,
    token: &str,
    expires_at: chrono::DateTime<chrono::Utc>,
    language: Language,
) -> StoreResult<()> {
    let version = tx.next_version().await?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO feedback (id, contact_id, visit_id, token_hash, sent_at, expires_at, created_at, updated_at, version, language) \
         VALUES ($1, $2, $3, $4, $5, $6, $5, $5, $7, $8)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(contact.to_string())
    .bind(visit.id.to_string())
    .bind(hash(token))
    .bind(now)
    .bind(expires_at.timestamp_millis())
    .bind(version)
    .bind(language.as_str())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A feedback request found by its link.
#[derive(Debug, Clone)]
pub struct Request {
    pub id: String,
    pub contact_name: String,
    pub rep_name: String,
    pub visited_at: chrono::DateTime<chrono::Utc>,
    /// The contact's zone, or the rep's when the contact has none.
    pub zone: TimeZone,
    pub language: Language,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub answered: bool,
}

pub async fn by_token<'e>(exec: impl sqlx::Executor<'e, Database = sqlx::Any>, token: &str) -> StoreResult<Request> {
    type Row = (String, String, String, i64, String, Option<String>, i64, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT f.id, c.name, u.name, v.check_in_at, COALESCE(c.time_zone, u.time_zone), f.language, f.expires_at, f.answered_at \
         FROM feedback f JOIN contacts c ON c.id = f.contact_id JOIN visits v ON v.id = f.visit_id \
         JOIN users u ON u.id = v.rep_id WHERE f.token_hash = $1 AND f.deleted = 0",
    )
    .bind(hash(token))
    .fetch_optional(exec)
    .await?;
    let (id, contact_name, rep_name, visited_at, zone, language, expires_at, answered_at) =
        row.ok_or(StoreError::NotFound)?;
    Ok(Request {
        id,
        contact_name,
        rep_name,
        visited_at: from_ms(visited_at),
        zone: parse_col(TimeZone::parse(&zone), "contacts.time_zone or users.time_zone")?,
        language: language.and_then(|l| Language::parse(&l).ok()).unwrap_or_default(),
        expires_at: from_ms(expires_at),
        answered: answered_at.is_some(),
    })
}

/// Records the answer if the request is still unanswered; answers whether it was.
pub(super) async fn answer(tx: &mut WriteTx, id: &str, answer: &FeedbackAnswer) -> StoreResult<bool> {
    let version = tx.next_version().await?;
    let now = now_ms();
    let done = sqlx::query(
        "UPDATE feedback SET csat = $2, nps = $3, comment = $4, answered_at = $5, updated_at = $5, version = $6 \
         WHERE id = $1 AND answered_at IS NULL",
    )
    .bind(id)
    .bind(answer.csat.map(i64::from))
    .bind(answer.nps.map(i64::from))
    .bind(answer.comment.clone())
    .bind(now)
    .bind(version)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}
