//! `/api/v1/listings`: properties for sale or rent, their status history, showings, buyer
//! matches and share links. Photos are in [`super::photo_routes`], requirements in
//! [`super::requirement_routes`].

use super::{matches, store};
use crate::auth::{token, Ctx};
use crate::db::WriteTx;
use crate::error::{field_error, ApiJson, AppError, AppResult};
use crate::notifications;
use crate::scope::Scope;
use crate::{audit, AppState};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::common::{ErrorBody, FieldError, ListingId, Page, UserId};
use fieldwork_app::listings::{
    BuyerMatch, Listing, ListingForCreate, ListingForUpdate, ListingQuery, ListingStatus, ListingSummary,
    PublicListing, ShareLink, Showing, StatusChange,
};
use fieldwork_app::users::Role;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_listings, create_listing))
        .routes(routes!(get_listing, update_listing, delete_listing))
        .routes(routes!(listing_history))
        .routes(routes!(listing_showings))
        .routes(routes!(listing_matches))
        .routes(routes!(share_listing, stop_sharing))
        .routes(routes!(public_listing))
}

/// Listings the caller may see, newest first, filtered.
#[utoipa::path(get, path = "/listings", tag = "listings", params(ListingQuery),
    responses((status = 200, body = Page<ListingSummary>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_listings(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListingQuery>,
) -> AppResult<Json<Page<ListingSummary>>> {
    let filter = q.validate().map_err(AppError::Validation)?;
    let limit = crate::cursor::limit(q.limit)?;
    let before = crate::cursor::decode_param(q.cursor.as_deref(), 1)?.and_then(|mut parts| parts.pop());
    let scope = Scope::of(&state.db, &ctx).await?;
    Ok(Json(store::list(&state.db, &scope, &filter, limit, before).await?))
}

/// The agent of a listing the caller creates or reassigns: one asked for (active and in the
/// caller's scope), else the caller when they work in the field.
async fn agent_for(state: &AppState, scope: &Scope, ctx: &Ctx, asked: Option<UserId>) -> AppResult<Option<UserId>> {
    Ok(match asked {
        Some(agent) => Some(crate::scope::check_user(&state.db, scope, agent, "agent_id").await?),
        None if matches!(ctx.role(), Role::Rep | Role::Manager) => Some(ctx.user_id()),
        None => None,
    })
}

/// Create a listing. It is a `draft` unless `status` is `available`; it gets a reference when
/// none is given and the territory that contains its location.
#[utoipa::path(post, path = "/listings", tag = "listings", request_body = ListingForCreate,
    responses((status = 201, body = Listing), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn create_listing(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<ListingForCreate>,
) -> AppResult<impl IntoResponse> {
    let scope = Scope::of(&state.db, &ctx).await?;
    let mut tx = state.db.begin_write().await?;
    let saved = create_in(&state, &ctx, &scope, &mut tx, &body).await?;
    tx.commit().await?;
    saved.announce(&state).await;
    Ok((StatusCode::CREATED, Json(saved.listing)))
}

/// A listing written inside a transaction; whether it went on the market with this write
/// (matching buyers are told once the transaction has committed: [`Saved::announce`]).
pub struct Saved {
    pub listing: Listing,
    pub published: bool,
}

impl Saved {
    pub async fn announce(&self, state: &AppState) {
        if self.published {
            tell_matching_buyers(state, &self.listing).await;
        }
    }
}

/// Checks and writes a new listing inside `tx` (the route and the sync push both use it).
pub async fn create_in(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
    tx: &mut WriteTx,
    body: &ListingForCreate,
) -> AppResult<Saved> {
    let new = body.validate().map_err(AppError::Validation)?;
    let agent = agent_for(state, scope, ctx, new.agent_id).await?;
    let territory = state.territories.locate(new.facts.location);
    if let Some(owner) = new.facts.owner_contact_id {
        store::check_owner_contact(tx.conn(), scope, owner).await.map_err(|e| field_error(e, "owner_contact_id"))?;
    }
    let listing = store::insert(tx, &new, territory, agent, ctx.user_id()).await?;
    audit::record(
        tx,
        Some(ctx.user_id()),
        "listing",
        &listing.id.to_string(),
        "create",
        serde_json::json!({"status": listing.status, "reference": listing.reference}),
    )
    .await?;
    let published = listing.status == ListingStatus::Available;
    Ok(Saved { listing, published })
}

/// The listing, when it is in the caller's scope (404 otherwise).
pub(super) async fn get_in_scope(state: &AppState, ctx: &Ctx, id: ListingId) -> AppResult<Listing> {
    let scope = Scope::of(&state.db, ctx).await?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(store::get(&mut conn, &scope, id).await?)
}

/// One listing with its photos.
#[utoipa::path(get, path = "/listings/{id}", tag = "listings", params(("id" = String, Path)),
    responses((status = 200, body = Listing), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn get_listing(State(state): State<AppState>, ctx: Ctx, Path(id): Path<ListingId>) -> AppResult<Json<Listing>> {
    Ok(Json(get_in_scope(&state, &ctx, id).await?))
}

/// Change a listing. A status change must be one the status machine allows (`draft → available
/// → under_offer → sold | rented`, or `withdrawn`; see `ListingStatus::next`), else 409; every
/// change of status is kept in the history with who made it. `base_version` guards against
/// overwriting someone else's change (409).
#[utoipa::path(patch, path = "/listings/{id}", tag = "listings", params(("id" = String, Path)), request_body = ListingForUpdate,
    responses((status = 200, body = Listing), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn update_listing(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<ListingId>,
    ApiJson(body): ApiJson<ListingForUpdate>,
) -> AppResult<Json<Listing>> {
    let scope = Scope::of(&state.db, &ctx).await?;
    let mut tx = state.db.begin_write().await?;
    let current = store::get(tx.conn(), &scope, id).await?;
    if body.base_version.is_some_and(|v| v != current.version) {
        return Err(AppError::Conflict("the listing changed since you loaded it; reload and try again".into()));
    }
    let saved = update_in(&state, &ctx, &scope, &mut tx, &current, &body).await?;
    tx.commit().await?;
    saved.announce(&state).await;
    Ok(Json(saved.listing))
}

/// Checks and writes a change to `current` inside `tx` (the route and the sync push both use
/// it): the status only takes a step the status machine allows.
pub async fn update_in(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
    tx: &mut WriteTx,
    current: &Listing,
    body: &ListingForUpdate,
) -> AppResult<Saved> {
    let changes = body.validate().map_err(AppError::Validation)?;
    let agent_change = match changes.agent_id {
        Some(Some(agent)) => Some(Some(crate::scope::check_user(&state.db, scope, agent, "agent_id").await?)),
        other => other,
    };
    let facts = changes.apply(&current.facts()).map_err(AppError::Validation)?;
    let status = match changes.status.filter(|s| *s != current.status) {
        Some(to) if !current.status.can_become(to, facts.transaction) => {
            let allowed: Vec<&str> =
                current.status.next(facts.transaction).into_iter().map(ListingStatus::as_str).collect();
            return Err(AppError::Conflict(format!(
                "a listing that is {} can become {}, not {}",
                current.status.as_str(),
                if allowed.is_empty() { "nothing else".to_string() } else { allowed.join(" or ") },
                to.as_str()
            )));
        }
        Some(to) => to,
        None => current.status,
    };
    if facts.transaction != current.transaction && matches!(status, ListingStatus::Sold | ListingStatus::Rented) {
        return Err(AppError::invalid("transaction", FieldError::NotAllowed));
    }
    if let Some(owner) = changes.new_owner_contact().filter(|o| Some(*o) != current.owner_contact_id) {
        store::check_owner_contact(tx.conn(), scope, owner).await.map_err(|e| field_error(e, "owner_contact_id"))?;
    }
    let reference = changes.reference.clone().flatten().unwrap_or_else(|| current.reference.clone());
    let territory = state.territories.locate(facts.location);
    let agent = agent_change.unwrap_or(current.agent_id);
    let listing = store::update(tx, current, &reference, status, &facts, territory, agent, ctx.user_id()).await?;
    let mut diff = audit::diff(current, &listing);
    if let Some(photos) = diff.get_mut("photos") {
        *photos = serde_json::Value::Null;
    }
    audit::record(tx, Some(ctx.user_id()), "listing", &current.id.to_string(), "update", diff).await?;
    let published =
        status == ListingStatus::Available && matches!(current.status, ListingStatus::Draft | ListingStatus::Withdrawn);
    Ok(Saved { listing, published })
}

/// Delete a listing (managers, office and admins; agents withdraw it instead). Its share link
/// stops working.
#[utoipa::path(delete, path = "/listings/{id}", tag = "listings", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn delete_listing(State(state): State<AppState>, ctx: Ctx, Path(id): Path<ListingId>) -> AppResult<StatusCode> {
    let scope = Scope::of(&state.db, &ctx).await?;
    let mut tx = state.db.begin_write().await?;
    store::get(tx.conn(), &scope, id).await?;
    if ctx.role() == Role::Rep {
        return Err(AppError::Forbidden);
    }
    store::delete(&mut tx, id).await?;
    audit::record(&mut tx, Some(ctx.user_id()), "listing", &id.to_string(), "delete", serde_json::json!({})).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every status the listing has had, oldest first, with when and who.
#[utoipa::path(get, path = "/listings/{id}/history", tag = "listings", params(("id" = String, Path)),
    responses((status = 200, body = Vec<StatusChange>), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn listing_history(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<ListingId>,
) -> AppResult<Json<Vec<StatusChange>>> {
    get_in_scope(&state, &ctx, id).await?;
    Ok(Json(store::history(&state.db, id).await?))
}

/// The listing's showings, newest first, with each buyer's reaction once carried out.
#[utoipa::path(get, path = "/listings/{id}/showings", tag = "listings", params(("id" = String, Path)),
    responses((status = 200, body = Vec<Showing>), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn listing_showings(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<ListingId>,
) -> AppResult<Json<Vec<Showing>>> {
    get_in_scope(&state, &ctx, id).await?;
    Ok(Json(store::showings(&state.db, id).await?))
}

/// Buyers and tenants (in the caller's scope) whose requirements this listing meets, best
/// first, each with a score (1–100) and the reasons.
#[utoipa::path(get, path = "/listings/{id}/matches", tag = "listings", params(("id" = String, Path)),
    responses((status = 200, body = Vec<BuyerMatch>), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn listing_matches(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<ListingId>,
) -> AppResult<Json<Vec<BuyerMatch>>> {
    let scope = Scope::of(&state.db, &ctx).await?;
    let listing = store::get(&mut *state.db.pool().acquire().await?, &scope, id).await?;
    Ok(Json(matches::buyers_for(&state.db, &scope, &listing).await?))
}

/// Tells the owners of matching buyers about a listing that came on the market: one
/// notification per owner who can open the listing (its agent, or a rep of its territory).
/// A failure here is logged; the listing is already saved.
async fn tell_matching_buyers(state: &AppState, listing: &Listing) {
    let told = async {
        let buyers = matches::buyers_for(&state.db, &Scope::All, listing).await?;
        let mut by_owner: std::collections::BTreeMap<UserId, Vec<String>> = Default::default();
        for buyer in buyers {
            if let Some(owner) = buyer.owner_id {
                by_owner.entry(owner).or_default().push(buyer.contact_name);
            }
        }
        if by_owner.is_empty() {
            return Ok::<usize, crate::db::StoreError>(0);
        }
        let mut told = Vec::new();
        for (owner, names) in by_owner {
            if store::visible_to(&state.db, listing.id, owner).await? {
                told.push((owner, names));
            }
        }
        if told.is_empty() {
            return Ok(0);
        }
        let mut tx = state.db.begin_write().await?;
        for (owner, names) in &told {
            let user = crate::users::store::by_id(&state.db, *owner).await?;
            let notice = notifications::Notice::ListingMatches {
                listing: listing.id.to_string(),
                title: listing.title.clone(),
                reference: listing.reference.clone(),
                buyers: names.clone(),
            };
            let key = format!("listing_matches:{}:{owner}", listing.id);
            notifications::notify(&mut tx, &state.settings.link_base(), &user, &notice, &key).await?;
        }
        tx.commit().await?;
        Ok(told.len())
    };
    match told.await {
        Ok(n) => tracing::info!(listing = %listing.id, owners = n, "told owners of matching buyers"),
        Err(e) => tracing::error!(listing = %listing.id, error = %e, "matching buyers could not be told"),
    }
}

/// Turn on the public share link (or answer the one already on). The link shows the listing
/// without its owner, agent or notes.
#[utoipa::path(post, path = "/listings/{id}/share", tag = "listings", params(("id" = String, Path)),
    responses((status = 200, body = ShareLink), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn share_listing(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<ListingId>,
) -> AppResult<Json<ShareLink>> {
    let listing = get_in_scope(&state, &ctx, id).await?;
    let token = match listing.share_token {
        Some(token) => token,
        None => {
            let token = token::generate("fws_");
            let mut tx = state.db.begin_write().await?;
            store::set_share_token(&mut tx, id, Some(&token)).await?;
            audit::record(&mut tx, Some(ctx.user_id()), "listing", &id.to_string(), "share", serde_json::json!({}))
                .await?;
            tx.commit().await?;
            token
        }
    };
    let url = format!("{}/share/{token}", crate::appointments::feed::base_url(&state, &headers));
    Ok(Json(ShareLink { token, url }))
}

/// Turn the share link off: the old link answers 404 from now on.
#[utoipa::path(delete, path = "/listings/{id}/share", tag = "listings", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn stop_sharing(State(state): State<AppState>, ctx: Ctx, Path(id): Path<ListingId>) -> AppResult<StatusCode> {
    get_in_scope(&state, &ctx, id).await?;
    let mut tx = state.db.begin_write().await?;
    store::set_share_token(&mut tx, id, None).await?;
    audit::record(&mut tx, Some(ctx.user_id()), "listing", &id.to_string(), "unshare", serde_json::json!({})).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A shared listing, for anyone with the link (no sign-in): public facts and photos only.
#[utoipa::path(get, path = "/public/listings/{token}", tag = "listings", params(("token" = String, Path)),
    responses((status = 200, body = PublicListing), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn public_listing(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<impl IntoResponse> {
    let listing = shared(&state, &token).await?;
    Ok(([(axum::http::header::CACHE_CONTROL, "no-store")], Json(PublicListing::from(listing))))
}

/// The listing a share token opens (drafts and withdrawn listings are not public).
pub(super) async fn shared(state: &AppState, token: &str) -> AppResult<Listing> {
    if !token.starts_with("fws_") || token.len() > 100 {
        return Err(AppError::NotFound);
    }
    let listing = store::by_share_token(&state.db, token).await?;
    if !listing.status.on_market() && !matches!(listing.status, ListingStatus::Sold | ListingStatus::Rented) {
        return Err(AppError::NotFound);
    }
    Ok(listing)
}
