//! SQL for the email outbox and its attempts.

use crate::db::{now_ms, Db, StoreResult, WriteTx};
use fieldwork_app::common::{CampaignId, ContactId, EmailId};

/// An email to send.
#[derive(Debug, Clone)]
pub struct Mail {
    /// Names the notification (`reminder:{appointment}:{starts_at}`): one email per key, ever.
    pub key: String,
    /// What it is (`reminder`, `feedback`, `template`…), for the records and the logs.
    pub kind: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    /// The contact it was sent to, when it went to a contact.
    pub contact_id: Option<ContactId>,
    /// The campaign it was sent for, when a campaign sent it.
    pub campaign_id: Option<CampaignId>,
    /// Not before this instant (ms); `None`: now.
    pub not_before: Option<i64>,
}

/// Queues `mail` inside the caller's transaction. Answers the new row's id, or `None` when a
/// mail with the same key was already queued (then nothing is written).
pub async fn enqueue(tx: &mut WriteTx, mail: &Mail) -> StoreResult<Option<EmailId>> {
    let id = EmailId::new();
    let now = now_ms();
    let done = sqlx::query(
        "INSERT INTO email_outbox (id, idempotency_key, kind, to_address, subject, body_text, status, attempts, \
         next_attempt_at, created_at, contact_id, campaign_id) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $8, $9, $10) \
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(&mail.key)
    .bind(&mail.kind)
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(&mail.text)
    .bind(mail.not_before.unwrap_or(now))
    .bind(now)
    .bind(mail.contact_id.map(|c| c.to_string()))
    .bind(mail.campaign_id.map(|c| c.to_string()))
    .execute(tx.conn())
    .await?;
    Ok((done.rows_affected() == 1).then_some(id))
}

/// A row claimed for sending.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: String,
    pub idempotency_key: String,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub attempts: i64,
    /// The row was already claimed by a worker that never recorded the outcome.
    #[sqlx(skip)]
    pub interrupted: bool,
}

/// Claims up to `limit` due rows (pending and due, or claimed longer than `stale_ms` ago by a
/// worker that never came back), in a transaction of its own, and counts the attempt.
pub async fn claim(db: &Db, now: i64, stale_ms: i64, limit: i64) -> StoreResult<Vec<Claimed>> {
    let mut tx = db.begin_write().await?;
    tx.lock_key("email_outbox").await?;
    let mut rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, status FROM email_outbox WHERE (status = 'pending' AND next_attempt_at <= $1) \
         OR (status = 'sending' AND claimed_at <= $2) ORDER BY next_attempt_at, id LIMIT $3",
    )
    .bind(now)
    .bind(now - stale_ms)
    .bind(limit)
    .fetch_all(tx.conn())
    .await?;
    rows.sort();
    let mut claimed = Vec::with_capacity(rows.len());
    for (id, status) in rows {
        sqlx::query(
            "UPDATE email_outbox SET status = 'sending', claimed_at = $2, attempts = attempts + 1 WHERE id = $1",
        )
        .bind(&id)
        .bind(now)
        .execute(tx.conn())
        .await?;
        let mut row: Claimed = sqlx::query_as(
            "SELECT id, idempotency_key, kind, to_address, subject, body_text, attempts FROM email_outbox WHERE id = $1",
        )
        .bind(&id)
        .fetch_one(tx.conn())
        .await?;
        row.interrupted = status == "sending";
        claimed.push(row);
    }
    tx.commit().await?;
    Ok(claimed)
}

/// What became of one attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Sent,
    /// The transport already had it (a worker died between sending and recording).
    AlreadySent,
    /// Try again at `retry_at` (ms), or never (`None`: give up).
    Failed {
        error: String,
        retry_at: Option<i64>,
    },
    /// Interrupted mid-send on a transport that cannot tell whether it went: not sent again.
    Abandoned,
}

/// Records the outcome of the attempt on row `id` at `now`.
pub async fn record(db: &Db, id: &str, now: i64, outcome: &Outcome) -> StoreResult<()> {
    let mut tx = db.begin_write().await?;
    let (label, error) = match outcome {
        Outcome::Sent => ("sent", None),
        Outcome::AlreadySent => ("already_sent", None),
        Outcome::Failed { error, .. } => ("failed", Some(error.clone())),
        Outcome::Abandoned => {
            ("abandoned", Some("interrupted while sending; not sent again so that it cannot arrive twice".to_string()))
        }
    };
    sqlx::query("INSERT INTO email_attempts (id, message_id, at, outcome, error) VALUES ($1, $2, $3, $4, $5)")
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(id)
        .bind(now)
        .bind(label)
        .bind(error.clone())
        .execute(tx.conn())
        .await?;
    let update = match outcome {
        Outcome::Sent | Outcome::AlreadySent => sqlx::query(
            "UPDATE email_outbox SET status = 'sent', sent_at = $2, claimed_at = NULL, last_error = NULL WHERE id = $1",
        )
        .bind(id)
        .bind(now),
        Outcome::Failed { retry_at: Some(at), .. } => sqlx::query(
            "UPDATE email_outbox SET status = 'pending', next_attempt_at = $2, claimed_at = NULL, last_error = $3 WHERE id = $1",
        )
        .bind(id)
        .bind(*at)
        .bind(error),
        Outcome::Failed { retry_at: None, .. } | Outcome::Abandoned => {
            sqlx::query("UPDATE email_outbox SET status = 'failed', claimed_at = NULL, last_error = $2 WHERE id = $1")
                .bind(id)
                .bind(error)
        }
    };
    update.execute(tx.conn()).await?;
    tx.commit().await?;
    Ok(())
}

/// Counts of the outbox by status (for the admin and the tests).
pub async fn counts(db: &Db) -> StoreResult<Vec<(String, i64)>> {
    Ok(sqlx::query_as("SELECT status, COUNT(*) FROM email_outbox GROUP BY status ORDER BY status")
        .fetch_all(db.pool())
        .await?)
}
