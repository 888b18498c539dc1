//! `/api/v1/contacts`: list and search, create, read, change, delete. Scope decides which
//! contacts exist for the caller; a contact outside it answers 404.

use super::actions;
use super::store::{self, Matches};
use crate::act::Act;
use crate::auth::Ctx;
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::common::{ContactId, ErrorBody, Page};
use fieldwork_app::contacts::search::{head, SearchQuery};
use fieldwork_app::contacts::{Contact, ContactForCreate, ContactForUpdate, ContactQuery, ContactSummary};
use fieldwork_app::fields::RecordType;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_contacts, create_contact))
        .routes(routes!(get_contact, update_contact, delete_contact))
        .routes(routes!(super::export::export_contacts))
        .routes(routes!(super::timeline::contact_timeline))
        .merge(super::import::router())
        .merge(super::bulk::router())
        .merge(super::merge::router())
        .merge(super::privacy_routes::router())
}

/// Contacts in the caller's scope: filtered, searched, sorted, one page at a time.
#[utoipa::path(get, path = "/contacts", tag = "contacts", params(ContactQuery),
    responses((status = 200, body = Page<ContactSummary>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_contacts(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<ContactQuery>,
) -> AppResult<Json<Page<ContactSummary>>> {
    let page = find(&state, &ctx, &query).await?;
    let mut items: Vec<ContactSummary> = page.items.iter().map(ContactSummary::from).collect();
    let distinct = |ids: Vec<String>| ids.into_iter().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let owners: Vec<String> = distinct(items.iter().filter_map(|c| c.owner_id.map(|u| u.to_string())).collect());
    let places: Vec<String> = distinct(items.iter().filter_map(|c| c.territory_id.map(|t| t.to_string())).collect());
    let (owner_names, territory_names) = store::names(&state.db, &owners, &places).await?;
    for item in &mut items {
        item.owner_name = item.owner_id.and_then(|u| owner_names.get(&u.to_string()).cloned());
        item.territory_name = item.territory_id.and_then(|t| territory_names.get(&t.to_string()).cloned());
    }
    Ok(Json(Page { items, next_cursor: page.next_cursor, total: page.total }))
}

/// The list behind the list route: parses the query; a search returns its best matches in one
/// page, with typo tolerance when the exact prefixes found fewer than a page.
pub(super) async fn find(state: &AppState, ctx: &Ctx, query: &ContactQuery) -> AppResult<Page<Contact>> {
    let mut filter = query.filter().map_err(AppError::Validation)?;
    filter.custom = crate::fields::actions::conditions(&state.db, RecordType::Contact, query.custom.as_deref()).await?;
    let limit = crate::cursor::limit(query.limit)?;
    let after = crate::cursor::decode_key_id(query.cursor.as_deref())?;
    let mut search = filter.q.as_deref().and_then(SearchQuery::parse);
    if filter.q.is_some() && search.is_none() {
        return Ok(Page { items: vec![], next_cursor: None, total: None });
    }
    let scope = ctx.scope(&state.db).await?.clone();
    let first_page = after.is_none();
    let mut page =
        store::list(&state.db, &scope, &filter, search.as_ref().map(|q| (q, Matches::Top)), limit, after).await?;
    if query.total == Some(true) && first_page && search.is_none() {
        // A first page that is also the last counts itself.
        page.total = Some(match page.next_cursor {
            None => page.items.len() as i64,
            Some(_) => store::count(&state.db, &scope, &filter).await?,
        });
    }
    if let Some(query) = search.as_mut().filter(|_| first_page && (page.items.len() as i64) < limit) {
        let mut vocabulary = Vec::new();
        for word in query.fuzzy_words().map(str::to_string).collect::<Vec<_>>() {
            vocabulary.extend(store::vocabulary(&state.db, &head(&word)).await?);
        }
        if query.widen(&vocabulary) {
            // Exact prefix matches first; typo matches fill the rest of the page.
            let wider = store::list(&state.db, &scope, &filter, Some((query, Matches::Top)), limit, None).await?;
            let mut page = page;
            for contact in wider.items {
                if page.items.len() as i64 >= limit {
                    break;
                }
                if !page.items.iter().any(|c| c.id == contact.id) {
                    page.items.push(contact);
                }
            }
            return Ok(page);
        }
    }
    Ok(page)
}

/// Create a contact. Reps and managers own what they create; office staff and admins may name
/// any owner (reps may not give a contact to someone else).
#[utoipa::path(post, path = "/contacts", tag = "contacts", request_body = ContactForCreate,
    responses((status = 201, body = Contact), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn create_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<ContactForCreate>,
) -> AppResult<impl IntoResponse> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let contact = actions::create(&act, &mut tx, &body).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(contact)))
}

/// One contact.
#[utoipa::path(get, path = "/contacts/{id}", tag = "contacts", params(("id" = String, Path)),
    responses((status = 200, body = Contact), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn get_contact(State(state): State<AppState>, ctx: Ctx, Path(id): Path<ContactId>) -> AppResult<Json<Contact>> {
    let scope = ctx.scope(&state.db).await?.clone();
    Ok(Json(store::get(state.db.pool(), &scope, &id.to_string()).await?))
}

/// Change a contact: any field; `archived: true|false` archives or restores; `lifecycle` moves
/// only along the allowed transitions; `base_version` guards against overwriting a newer edit.
#[utoipa::path(patch, path = "/contacts/{id}", tag = "contacts", params(("id" = String, Path)), request_body = ContactForUpdate,
    responses((status = 200, body = Contact), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn update_contact(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<ContactId>,
    ApiJson(body): ApiJson<ContactForUpdate>,
) -> AppResult<Json<Contact>> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let updated = actions::edit(&act, &mut tx, id, &body).await?;
    tx.commit().await?;
    Ok(Json(updated))
}

/// Delete a contact for good (a tombstone for sync). Reps archive instead.
#[utoipa::path(delete, path = "/contacts/{id}", tag = "contacts", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn delete_contact(State(state): State<AppState>, ctx: Ctx, Path(id): Path<ContactId>) -> AppResult<StatusCode> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    actions::delete(&act, &mut tx, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
