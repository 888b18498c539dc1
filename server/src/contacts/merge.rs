//! Duplicates and merging: groups of contacts that share a phone number or email address, or
//! have very similar names at one company ([`dedupe`]),
//! and merging a group into one contact that keeps every activity, visit, appointment, deal,
//! follow-up and feedback of the others, with the merge in each one's history.

use super::store;
use crate::auth::Ctx;
use crate::db::{now_ms, Db, StoreResult, WriteTx};
use crate::error::{ApiJson, AppError, AppResult};
use crate::scope::Scope;
use crate::{audit, state::AppState};
use axum::extract::{Path, State};
use axum::Json;
use fieldwork_app::common::{ContactId, ErrorBody};
use fieldwork_app::contacts::dedupe::{self, Incoming};
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
    let scope = ctx.scope(&state.db).await?.clone();
    Ok(Json(groups(&state.db, &scope).await?))
}

/// The most groups answered at once.
const MAX_GROUPS: usize = 50;
/// The most people of one company compared by name.
const MAX_COMPANY_PEOPLE: i64 = 500;

async fn groups(db: &Db, scope: &Scope) -> StoreResult<Vec<DuplicateGroup>> {
    let mut out: Vec<DuplicateGroup> = Vec::new();
    for (column, reason) in [("primary_phone", "phone"), ("primary_email", "email")] {
        let (scope_sql, binds) = scope.predicate("c.owner_id", Some("c.territory_id"), 1);
        let sql = format!(
            "SELECT c.{column} FROM contacts c WHERE c.deleted = 0 AND c.{column} IS NOT NULL AND c.{column} <> '' \
             AND {scope_sql} \
             GROUP BY c.{column} HAVING COUNT(*) > 1 LIMIT {MAX_GROUPS}"
        );
        let keys: Vec<String> =
            binds.iter().fold(sqlx::query_scalar(&sql), sqlx::query::QueryScalar::bind).fetch_all(db.pool()).await?;
        for key in keys {
            let (scope_sql, binds) = scope.predicate("c.owner_id", Some("c.territory_id"), 2);
            let sql = format!(
                "SELECT c.id FROM contacts c WHERE c.deleted = 0 AND c.{column} = $1 AND {scope_sql} ORDER BY c.created_at, c.id"
            );
            let ids: Vec<String> = binds
                .iter()
                .fold(sqlx::query_scalar(&sql).bind(&key), sqlx::query::QueryScalar::bind)
                .fetch_all(db.pool())
                .await?;
            push_group(db, scope, &mut out, reason, key, &ids).await?;
        }
    }
    // Very similar names at one company.
    let (scope_sql, binds) = scope.predicate("c.owner_id", Some("c.territory_id"), 1);
    let sql = format!(
        "SELECT c.company_id FROM contacts c WHERE c.deleted = 0 AND c.company_id IS NOT NULL AND {scope_sql} \
         GROUP BY c.company_id HAVING COUNT(*) > 1 LIMIT 1000"
    );
    let companies: Vec<String> =
        binds.iter().fold(sqlx::query_scalar(&sql), sqlx::query::QueryScalar::bind).fetch_all(db.pool()).await?;
    for company in companies {
        if out.len() >= MAX_GROUPS {
            break;
        }
        let people = store::people_of(db.pool(), scope, &company, MAX_COMPANY_PEOPLE).await?;
        let names: Vec<&str> = people.iter().map(|(_, name)| name.as_str()).collect();
        let clusters = dedupe::clusters(&names);
        if clusters.is_empty() {
            continue;
        }
        let company_name = store::name_of(db.pool(), &company).await?.unwrap_or_default();
        for cluster in clusters {
            let ids: Vec<String> = cluster.iter().map(|&i| people[i].0.clone()).collect();
            push_group(db, scope, &mut out, "name", company_name.clone(), &ids).await?;
        }
    }
    out.truncate(MAX_GROUPS);
    Ok(out)
}

/// Adds a group of these contacts, unless the same contacts already form one.
async fn push_group(
    db: &Db,
    scope: &Scope,
    out: &mut Vec<DuplicateGroup>,
    reason: &str,
    value: String,
    ids: &[String],
) -> StoreResult<()> {
    let mut contacts = Vec::new();
    for id in ids {
        contacts.push(ContactSummary::from(&store::get(db.pool(), scope, id).await?));
    }
    let same = |g: &DuplicateGroup| g.contacts.iter().map(|c| c.id).eq(contacts.iter().map(|c| c.id));
    if !out.iter().any(same) {
        out.push(DuplicateGroup { reason: reason.into(), value, contacts });
    }
    Ok(())
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
    let scope = ctx.scope(&state.db).await?.clone();
    let mut tx = state.db.begin_write().await?;
    let keep = store::get(tx.conn(), &scope, &id.to_string()).await?;
    let mut others = Vec::new();
    for other in &body.from {
        others.push(store::get(tx.conn(), &scope, &other.to_string()).await?);
    }
    let merged = merge(&mut tx, &state.territories, &keep, &others).await?;
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

async fn merge(
    tx: &mut WriteTx,
    territories: &crate::territories::Shared,
    keep: &Contact,
    others: &[Contact],
) -> StoreResult<Contact> {
    let incoming: Vec<Incoming<'_>> = others.iter().map(Incoming::from).collect();
    let changes = dedupe::fold(keep, &incoming);
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
    let territory = territories.locate(changes.location.unwrap_or(keep.location));
    super::write::update(tx, keep, &changes, territory, None, super::write::Stages::Forward).await
}
