//! SQL for email templates.

use crate::db::{from_ms, now_ms, parse_id, Db, StoreError, StoreResult, WriteTx};
use fieldwork_app::common::{TemplateId, UserId};
use fieldwork_app::templates::{EmailTemplate, TemplateInput};

type Row = (String, String, String, String, i64);

fn template((id, name, subject, body, updated_at): Row) -> StoreResult<EmailTemplate> {
    Ok(EmailTemplate { id: parse_id(&id, "email_templates.id")?, name, subject, body, updated_at: from_ms(updated_at) })
}

pub async fn list(db: &Db) -> StoreResult<Vec<EmailTemplate>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, name, subject, body, updated_at FROM email_templates WHERE deleted = 0 ORDER BY name, id LIMIT 500",
    )
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(template).collect()
}

pub async fn get<'e>(
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    id: TemplateId,
) -> StoreResult<EmailTemplate> {
    let row: Option<Row> =
        sqlx::query_as("SELECT id, name, subject, body, updated_at FROM email_templates WHERE id = $1 AND deleted = 0")
            .bind(id.to_string())
            .fetch_optional(exec)
            .await?;
    template(row.ok_or(StoreError::NotFound)?)
}

pub(super) async fn insert(tx: &mut WriteTx, input: &TemplateInput, by: UserId) -> StoreResult<TemplateId> {
    let id = TemplateId::new();
    sqlx::query(
        "INSERT INTO email_templates (id, name, subject, body, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(id.to_string())
    .bind(&input.name)
    .bind(&input.subject)
    .bind(&input.body)
    .bind(by.to_string())
    .bind(now_ms())
    .execute(tx.conn())
    .await?;
    Ok(id)
}

pub(super) async fn update(tx: &mut WriteTx, id: TemplateId, input: &TemplateInput) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE email_templates SET name = $2, subject = $3, body = $4, updated_at = $5 WHERE id = $1 AND deleted = 0",
    )
    .bind(id.to_string())
    .bind(&input.name)
    .bind(&input.subject)
    .bind(&input.body)
    .bind(now_ms())
    .execute(tx.conn())
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(super) async fn delete(tx: &mut WriteTx, id: TemplateId) -> StoreResult<()> {
    crate::db::soft_delete(tx, "email_templates", &id.to_string()).await
}
