//! SQL for lead-capture forms and their submissions.

use crate::db::{from_ms, now_ms, parse_id, parse_opt_id, Db, StoreError, StoreResult, WriteTx};
use fieldwork_app::common::{ContactId, FormId, UserId};
use fieldwork_app::forms::{FormField, LeadForm, NewLeadForm};

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    name: String,
    fields: String,
    required: String,
    custom_fields: String,
    territory_id: Option<String>,
    owner_id: Option<String>,
    thank_you: String,
    created_by: Option<String>,
    created_at: i64,
    submissions: i64,
}

const SELECT: &str =
    "SELECT f.id, f.name, f.fields, f.required, f.custom_fields, f.territory_id, f.owner_id, f.thank_you, f.created_by, \
     f.created_at, (SELECT COUNT(*) FROM form_submissions s WHERE s.form_id = f.id) AS submissions FROM lead_forms f";

fn fields(raw: &str, column: &str) -> StoreResult<Vec<FormField>> {
    let names: Vec<String> = serde_json::from_str(raw).map_err(|e| StoreError::Corrupt(format!("{column}: {e}")))?;
    Ok(names.iter().filter_map(|n| FormField::parse(n)).collect())
}

/// A form, and who made it (the author of the submissions it logs when it has no owner).
pub struct Stored {
    pub form: LeadForm,
    pub created_by: Option<UserId>,
}

impl TryFrom<Row> for Stored {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Stored> {
        Ok(Stored {
            form: LeadForm {
                id: parse_id(&r.id, "lead_forms.id")?,
                name: r.name,
                fields: fields(&r.fields, "lead_forms.fields")?,
                required: fields(&r.required, "lead_forms.required")?,
                custom_fields: serde_json::from_str(&r.custom_fields)
                    .map_err(|e| StoreError::Corrupt(format!("lead_forms.custom_fields: {e}")))?,
                territory_id: parse_opt_id(r.territory_id.as_deref(), "lead_forms.territory_id")?,
                owner_id: parse_opt_id(r.owner_id.as_deref(), "lead_forms.owner_id")?,
                thank_you: r.thank_you,
                submissions: r.submissions,
                created_at: from_ms(r.created_at),
            },
            created_by: parse_opt_id(r.created_by.as_deref(), "lead_forms.created_by")?,
        })
    }
}

fn names(fields: &[FormField]) -> String {
    serde_json::to_string(&fields.iter().map(|f| f.as_str()).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

pub(super) async fn insert(tx: &mut WriteTx, form: &NewLeadForm, by: UserId) -> StoreResult<FormId> {
    let id = FormId::new();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO lead_forms (id, name, fields, required, territory_id, owner_id, thank_you, created_by, created_at, updated_at, \
         custom_fields) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)",
    )
    .bind(id.to_string())
    .bind(&form.name)
    .bind(names(&form.fields))
    .bind(names(&form.required))
    .bind(form.territory_id.map(|t| t.to_string()))
    .bind(form.owner_id.map(|o| o.to_string()))
    .bind(&form.thank_you)
    .bind(by.to_string())
    .bind(now)
    .bind(serde_json::to_string(&form.custom_fields).unwrap_or_else(|_| "[]".into()))
    .execute(tx.conn())
    .await?;
    Ok(id)
}

pub async fn get<'e>(exec: impl sqlx::Executor<'e, Database = sqlx::Any>, id: FormId) -> StoreResult<Stored> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE f.id = $1 AND f.deleted = 0"))
        .bind(id.to_string())
        .fetch_optional(exec)
        .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

pub async fn list(db: &Db) -> StoreResult<Vec<LeadForm>> {
    let rows: Vec<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE f.deleted = 0 ORDER BY f.created_at DESC, f.id DESC LIMIT 200"))
            .fetch_all(db.pool())
            .await?;
    rows.into_iter().map(|r| Stored::try_from(r).map(|s| s.form)).collect()
}

pub(super) async fn delete(tx: &mut WriteTx, id: FormId) -> StoreResult<()> {
    crate::db::soft_delete(tx, "lead_forms", &id.to_string()).await
}

/// The live contact with this primary email, else this primary phone.
pub async fn existing_lead(
    tx: &mut WriteTx,
    email: Option<&str>,
    phone: Option<&str>,
) -> StoreResult<Option<ContactId>> {
    for (column, value) in [("primary_email", email), ("primary_phone", phone)] {
        let Some(value) = value else { continue };
        let id: Option<String> = sqlx::query_scalar(&format!(
            "SELECT id FROM contacts WHERE {column} = $1 AND deleted = 0 ORDER BY created_at LIMIT 1"
        ))
        .bind(value)
        .fetch_optional(tx.conn())
        .await?;
        if let Some(id) = id {
            return Ok(Some(parse_id(&id, "contacts.id")?));
        }
    }
    Ok(None)
}

pub(super) async fn record_submission(
    tx: &mut WriteTx,
    form: FormId,
    contact: ContactId,
    created: bool,
    payload: &str,
) -> StoreResult<String> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO form_submissions (id, form_id, contact_id, created_contact, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(form.to_string())
    .bind(contact.to_string())
    .bind(i64::from(created))
    .bind(payload)
    .bind(now_ms())
    .execute(tx.conn())
    .await?;
    Ok(id)
}
