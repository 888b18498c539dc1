//! SQL for campaigns, their audience and unsubscribe links.

use crate::db::{from_ms, now_ms, parse_id, Db, Sql, StoreError, StoreResult, WriteTx};
use crate::scope::Scope;
use fieldwork_app::campaigns::{Audience, Campaign, Segment};
use fieldwork_app::common::{CampaignId, ContactId, TemplateId, UserId};
use sqlx::AnyConnection;

/// The segment's predicate over `contacts c` (live, not archived), in `scope`.
fn segment_sql(sql: &mut Sql, scope: &Scope, segment: &Segment) {
    sql.push("c.deleted = 0 AND c.archived = 0");
    if let Some(tag) = &segment.tag {
        // Tags are stored as a JSON array of lower-case strings.
        let p = sql.arg(format!("%{}%", serde_json::Value::String(tag.clone())));
        sql.push(&format!(" AND c.tags LIKE {p}"));
    }
    if let Some(lifecycle) = segment.lifecycle {
        let p = sql.arg(lifecycle.as_str());
        sql.push(&format!(" AND c.lifecycle = {p}"));
    }
    if let Some(territory) = segment.territory_id {
        let p = sql.arg(territory.to_string());
        sql.push(&format!(" AND c.territory_id = {p}"));
    }
    if let Some(owner) = segment.owner_id {
        let p = sql.arg(owner.to_string());
        sql.push(&format!(" AND c.owner_id = {p}"));
    }
    sql.push(" AND ");
    let (scope_sql, binds) = scope.predicate("c.owner_id", Some("c.territory_id"), sql.next_index());
    sql.push_with(&scope_sql, binds);
}

pub async fn audience(db: &Db, scope: &Scope, segment: &Segment) -> StoreResult<Audience> {
    let mut sql = Sql::new(
        "SELECT COALESCE(SUM(CASE WHEN c.consent_email = 1 AND c.primary_email IS NOT NULL THEN 1 ELSE 0 END), 0), \
         COUNT(*) FROM contacts c WHERE ",
    );
    segment_sql(&mut sql, scope, segment);
    let (recipients, all): (i64, i64) = sql.query_as().fetch_one(db.pool()).await?;
    Ok(Audience { recipients, without_consent: all - recipients })
}

/// A recipient: id, name, address, phone, company, custom values (JSON).
pub type Recipient = (String, String, String, Option<String>, Option<String>, String);

/// The recipients (consent to email, an address), at most `limit`, by id.
pub async fn recipients(db: &Db, scope: &Scope, segment: &Segment, limit: i64) -> StoreResult<Vec<Recipient>> {
    let mut sql = Sql::new(
        "SELECT c.id, c.name, c.primary_email, c.primary_phone, co.name, c.custom FROM contacts c \
         LEFT JOIN contacts co ON co.id = c.company_id WHERE ",
    );
    segment_sql(&mut sql, scope, segment);
    let l = sql.arg(limit);
    sql.push(&format!(" AND c.consent_email = 1 AND c.primary_email IS NOT NULL ORDER BY c.id LIMIT {l}"));
    Ok(sql.query_as().fetch_all(db.pool()).await?)
}

pub(super) async fn insert(
    tx: &mut WriteTx,
    name: &str,
    template: TemplateId,
    segment: &Segment,
    audience: Audience,
    by: UserId,
) -> StoreResult<CampaignId> {
    let id = CampaignId::new();
    sqlx::query(
        "INSERT INTO campaigns (id, name, template_id, segment, recipients, skipped_no_consent, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(name)
    .bind(template.to_string())
    .bind(serde_json::to_string(segment).unwrap_or_else(|_| "{}".into()))
    .bind(audience.recipients)
    .bind(audience.without_consent)
    .bind(by.to_string())
    .bind(now_ms())
    .execute(tx.conn())
    .await?;
    Ok(id)
}

pub(super) async fn insert_unsubscribe(
    tx: &mut WriteTx,
    token_hash: &str,
    contact: ContactId,
    campaign: CampaignId,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO unsubscribe_links (token_hash, contact_id, campaign_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(contact.to_string())
    .bind(campaign.to_string())
    .bind(now_ms())
    .execute(tx.conn())
    .await?;
    Ok(())
}

type Row = (String, String, Option<String>, String, i64, i64, i64);

const SELECT: &str = "SELECT k.id, k.name, t.name, k.segment, k.recipients, k.skipped_no_consent, k.created_at \
     FROM campaigns k LEFT JOIN email_templates t ON t.id = k.template_id";

async fn with_counts(conn: &mut AnyConnection, row: Row) -> StoreResult<Campaign> {
    let (id, name, template_name, segment, recipients, skipped, created_at) = row;
    let counts: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM email_outbox WHERE campaign_id = $1 GROUP BY status")
            .bind(&id)
            .fetch_all(&mut *conn)
            .await?;
    let count = |status: &[&str]| counts.iter().filter(|(s, _)| status.contains(&s.as_str())).map(|(_, n)| n).sum();
    let unsubscribed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM unsubscribe_links WHERE campaign_id = $1 AND used_at IS NOT NULL")
            .bind(&id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(Campaign {
        id: parse_id(&id, "campaigns.id")?,
        name,
        template_name: template_name.unwrap_or_default(),
        segment: serde_json::from_str(&segment).map_err(|e| StoreError::Corrupt(format!("campaigns.segment: {e}")))?,
        created_at: from_ms(created_at),
        recipients,
        skipped_no_consent: skipped,
        sent: count(&["sent"]),
        pending: count(&["pending", "sending"]),
        failed: count(&["failed"]),
        unsubscribed,
    })
}

pub async fn get(conn: &mut AnyConnection, id: CampaignId) -> StoreResult<Campaign> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE k.id = $1")).bind(id.to_string()).fetch_optional(&mut *conn).await?;
    with_counts(conn, row.ok_or(StoreError::NotFound)?).await
}

pub async fn list(db: &Db) -> StoreResult<Vec<Campaign>> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} ORDER BY k.created_at DESC, k.id DESC LIMIT 50"))
        .fetch_all(db.pool())
        .await?;
    let mut conn = db.pool().acquire().await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(with_counts(&mut conn, row).await?);
    }
    Ok(out)
}

/// The link's contact and address, and whether it was used.
pub async fn unsubscribe_link<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    token_hash: &str,
) -> StoreResult<(String, String, bool)> {
    let row: Option<(String, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT u.contact_id, c.primary_email, u.used_at FROM unsubscribe_links u JOIN contacts c ON c.id = u.contact_id \
         WHERE u.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(exec)
    .await?;
    let (contact, email, used) = row.ok_or(StoreError::NotFound)?;
    Ok((contact, email.unwrap_or_default(), used.is_some()))
}

/// Marks the unsubscribe link used (the contact's consent is withdrawn by the contacts
/// domain).
pub(super) async fn mark_used(tx: &mut WriteTx, token_hash: &str) -> StoreResult<()> {
    sqlx::query("UPDATE unsubscribe_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
        .bind(token_hash)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
    Ok(())
}
