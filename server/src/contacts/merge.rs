//! Duplicates and merging: groups of contacts that share a phone number or email address,
//! and merging a group into one contact that keeps every activity, visit, appointment, deal,
//! follow-up and feedback of the others, with the merge in each one's history.

use super::store;
use crate::auth::Ctx;
use crate::db::{now_ms, Db, StoreResult, WriteTx};
use crate::error::{ApiJson, AppError, AppResult};
use crate::scope::Scope;
use crate::{audit, AppState};
use axum::extract::{Path, State};
use axum::Json;
use fieldwork_app::common::{ContactId, ErrorBody};
use fieldwork_app::contacts::{Contact, ContactSummary, DuplicateGroup, MergeRequest};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_duplicates)).routes(routes!(merge_contacts))
}

/// Tables whose rows point at a contact, moved to the kept contact by a merge.
const REFERENCING: [&str; 6] = ["activities", "visits", "appointments", "deals", "tasks", "feedback"];

/// Groups of contacts in the caller's scope with the same primary phone or email (up to 50).
#[utoipa::path(get, path = "/contacts/duplicates", tag = "contacts",
    responses((status = 200, body = Vec<DuplicateGroup>), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_duplicates(State(state): State<AppState>, ctx: Ctx) -> AppResult<Json<Vec<DuplicateGroup>>> {
    ctx.require_not_rep()?;
    let scope = Scope::of(&state.db, &ctx).await?;
    Ok(Json(groups(&state.db, &scope).await?))
}

async fn groups(db: &Db, scope: &Scope) -> StoreResult<Vec<DuplicateGroup>> {
    let mut out: Vec<DuplicateGroup> = Vec::new();
    for (column, reason) in [("primary_phone", "phone"), ("primary_email", "email")] {
        let (scope_sql, binds) = scope.predicate("c.owner_id", Some("c.territory_id"), 1);
        let sql = format!(
            "SELECT c.{column} FROM contacts c WHERE c.deleted = 0 AND c.{column} IS NOT NULL AND c.{column} <> '' \
             AND {scope_sql} \
             GROUP BY c.{column} HAVING COUNT(*) > 1 LIMIT 50"
        );
        let keys: Vec<String> =
            binds.iter().fold(sqlx::query_scalar(&sql), |q, b| q.bind(b)).fetch_all(db.pool()).await?;
        for key in keys {
            let (scope_sql, binds) = scope.predicate("c.owner_id", Some("c.territory_id"), 2);
            let sql = format!(
                "SELECT c.id FROM contacts c WHERE c.deleted = 0 AND c.{column} = $1 AND {scope_sql} ORDER BY c.created_at, c.id"
            );
            let ids: Vec<String> =
                binds.iter().fold(sqlx::query_scalar(&sql).bind(&key), |q, b| q.bind(b)).fetch_all(db.pool()).await?;
            let mut contacts = Vec::new();
            for id in ids {
                contacts.push(ContactSummary::from(&store::get(db.pool(), scope, &id).await?));
            }
            let ids: Vec<ContactId> = contacts.iter().map(|c| c.id).collect();
            if out.iter().any(|g| g.contacts.iter().map(|c| c.id).collect::<Vec<_>>() == ids) {
                continue;
            }
            out.push(DuplicateGroup { reason: reason.into(), value: key, contacts });
        }
    }
    Ok(out)
}

/// Merge the `from` contacts into this one: their phones, emails and tags are added, empty
/// fields filled, everything that refers to them moves here, and they are deleted. One
/// transaction; every contact involved must be in scope.
#[utoipa::path(post, path = "/contacts/{id}/merge", tag = "contacts", params(("id" = String, Path)), request_body = MergeRequest,
    responses((status = 200, body = Contact), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn merge_contacts(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<ContactId>,
    ApiJson(body): ApiJson<MergeRequest>,
) -> AppResult<Json<Contact>> {
    ctx.require_not_rep()?;
    if body.from.is_empty() || body.from.contains(&id) || body.from.len() > 20 {
        return Err(AppError::BadRequest("from must list 1 to 20 other contacts".into()));
    }
    let scope = Scope::of(&state.db, &ctx).await?;
    let mut tx = state.db.begin_write().await?;
    let keep = store::get(tx.conn(), &scope, &id.to_string()).await?;
    let mut others = Vec::new();
    for other in &body.from {
        others.push(store::get(tx.conn(), &scope, &other.to_string()).await?);
    }
    let merged = merge(&mut tx, &keep, &others).await?;
    for other in &others {
        audit::record(
            &mut tx,
            Some(ctx.user_id()),
            "contact",
            &other.id.to_string(),
            "merged_into",
            serde_json::json!({"into": id, "name": merged.name}),
        )
        .await?;
    }
    let names: Vec<&str> = others.iter().map(|o| o.name.as_str()).collect();
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "contact",
        &id.to_string(),
        "merge",
        serde_json::json!({"merged": body.from, "names": names}),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(merged))
}

/// Drops repeats, keeping the first of each (the kept contact's come first).
fn unique<T: PartialEq + Clone>(items: &mut Vec<T>) {
    let mut seen: Vec<T> = Vec::new();
    items.retain(|i| {
        if seen.contains(i) {
            false
        } else {
            seen.push(i.clone());
            true
        }
    });
}

async fn merge(tx: &mut WriteTx, keep: &Contact, others: &[Contact]) -> StoreResult<Contact> {
    let mut changes = fieldwork_app::contacts::ContactChanges::default();
    let mut phones = keep.phones.clone();
    let mut emails = keep.emails.clone();
    let mut tags = keep.tags.clone();
    for o in others {
        phones.extend(o.phones.iter().filter(|p| !keep.phones.contains(p)).cloned());
        emails.extend(o.emails.iter().filter(|e| !keep.emails.contains(e)).cloned());
        tags.extend(o.tags.iter().filter(|t| !keep.tags.contains(t)).cloned());
    }
    unique(&mut phones);
    unique(&mut emails);
    unique(&mut tags);
    phones.truncate(fieldwork_app::contacts::MAX_ITEMS);
    emails.truncate(fieldwork_app::contacts::MAX_ITEMS);
    tags.truncate(fieldwork_app::contacts::MAX_ITEMS);
    changes.phones = Some(phones);
    changes.emails = Some(emails);
    changes.tags = Some(tags);
    let first = |f: fn(&Contact) -> Option<String>| others.iter().find_map(f);
    if keep.address.is_none() {
        changes.address = Some(first(|o| o.address.clone()));
    }
    if keep.location.is_none() {
        changes.location = Some(others.iter().find_map(|o| o.location));
    }
    if keep.source.is_none() {
        changes.source = Some(first(|o| o.source.clone()));
    }
    let notes: Vec<String> = keep.notes.iter().chain(others.iter().filter_map(|o| o.notes.as_ref())).cloned().collect();
    changes.notes = Some((!notes.is_empty()).then(|| notes.join("\n\n")));
    for table in REFERENCING {
        for o in others {
            let version = tx.next_version().await?;
            sqlx::query(&format!(
                "UPDATE {table} SET contact_id = $1, version = $2, updated_at = $3 WHERE contact_id = $4"
            ))
            .bind(keep.id.to_string())
            .bind(version)
            .bind(now_ms())
            .bind(o.id.to_string())
            .execute(tx.conn())
            .await?;
        }
    }
    for o in others {
        // Contacts that belonged to a merged company now belong to the kept one.
        sqlx::query("UPDATE contacts SET company_id = $1 WHERE company_id = $2")
            .bind(keep.id.to_string())
            .bind(o.id.to_string())
            .execute(tx.conn())
            .await?;
        super::write::delete(tx, o.id).await?;
    }
    let last_activity = others.iter().filter_map(|o| o.last_activity_at).max();
    if let Some(at) = last_activity {
        super::write::touch(tx, keep.id, at.timestamp_millis()).await?;
    }
    super::write::update(tx, keep, &changes, keep.territory_id).await
}
