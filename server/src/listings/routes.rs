//! `/api/v1/listings`: properties for sale or rent, their status history, showings, buyer
//! matches and share links. Photos are in [`super::photo_routes`], requirements in
//! [`super::requirement_routes`].

use super::{actions, matches, store};
use crate::act::Act;
use crate::auth::{token, Ctx};
use crate::error::{ApiJson, AppError, AppResult};
use crate::{audit, state::AppState};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::common::{ErrorBody, ListingId, Page};
use fieldwork_app::fields::RecordType;
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
    let mut filter = q.validate().map_err(AppError::Validation)?;
    filter.custom = crate::fields::actions::conditions(&state.db, RecordType::Listing, q.custom.as_deref()).await?;
    let limit = crate::cursor::limit(q.limit)?;
    let before = crate::cursor::decode_param(q.cursor.as_deref(), 1)?.and_then(|mut parts| parts.pop());
    let scope = ctx.scope(&state.db).await?.clone();
    Ok(Json(store::list(&state.db, &scope, &filter, limit, before).await?))
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
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let listing = actions::create(&act, &mut tx, &body).await?;
    tx.commit().await?;
    act.committed().await;
    Ok((StatusCode::CREATED, Json(listing)))
}

/// The listing, when it is in the caller's scope (404 otherwise).
pub(super) async fn get_in_scope(state: &AppState, ctx: &Ctx, id: ListingId) -> AppResult<Listing> {
    let scope = ctx.scope(&state.db).await?.clone();
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
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let listing = actions::edit(&act, &mut tx, id, &body).await?;
    tx.commit().await?;
    act.committed().await;
    Ok(Json(listing))
}

/// Delete a listing (managers, office and admins; agents withdraw it instead). Its share link
/// stops working.
#[utoipa::path(delete, path = "/listings/{id}", tag = "listings", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn delete_listing(State(state): State<AppState>, ctx: Ctx, Path(id): Path<ListingId>) -> AppResult<StatusCode> {
    let scope = ctx.scope(&state.db).await?.clone();
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
    let scope = ctx.scope(&state.db).await?.clone();
    let listing = store::get(&mut *state.db.pool().acquire().await?, &scope, id).await?;
    Ok(Json(matches::buyers_for(&state.db, &scope, &listing).await?))
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
    let token = if let Some(token) = listing.share_token {
        token
    } else {
        let token = token::generate("fws_");
        let mut tx = state.db.begin_write().await?;
        store::set_share_token(&mut tx, id, Some(&token)).await?;
        audit::record(&mut tx, Some(ctx.user_id()), "listing", &id.to_string(), "share", serde_json::json!({})).await?;
        tx.commit().await?;
        token
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
