//! Typed calls for listings, their photos, matches, showings and share links.

use super::{
    BuyerMatch, Listing, ListingForCreate, ListingForUpdate, ListingMatch, ListingQuery, ListingSummary, Photo,
    PhotoOrder, Requirement, RequirementForPut, ShareLink, Showing, StatusChange,
};
use crate::client::{self, Method};
use crate::common::{ApiError, ContactId, ListingId, Page, PhotoId};
use crate::offline::outbox::{self, Saved};
use crate::offline::read::read_through;
use crate::offline::{engine, local};
use crate::sync::Entity;

/// The query string of a filter (empty values left out).
pub fn query_string(q: &ListingQuery) -> String {
    let num = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let float = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    client::query(&[
        ("kind", &text(&q.kind)),
        ("transaction", &text(&q.transaction)),
        ("status", &text(&q.status)),
        ("price_min", &num(q.price_min)),
        ("price_max", &num(q.price_max)),
        ("bedrooms", &num(q.bedrooms.map(i64::from))),
        ("area_min", &float(q.area_min)),
        ("area_max", &float(q.area_max)),
        ("territory", &text(&q.territory)),
        ("agent", &text(&q.agent)),
        ("q", &text(&q.q)),
        ("bbox", &text(&q.bbox)),
        ("custom", &text(&q.custom)),
        ("limit", &num(q.limit)),
        ("cursor", &text(&q.cursor)),
    ])
}

/// The server's list; without a network, the listings this device holds that pass the filter.
pub async fn list(q: ListingQuery) -> Result<Page<ListingSummary>, ApiError> {
    let path = format!("/listings{}", query_string(&q));
    read_through(client::get(&path), async move {
        let filter = q.validate().ok()?;
        let mut found: Vec<Listing> = local::all::<Listing>(Entity::Listing).await.ok()?;
        found.retain(|l| filter.admits(l));
        found.sort_by_key(|l| std::cmp::Reverse(l.created_at));
        Some(Page { items: found.iter().map(Listing::summary).collect(), next_cursor: None, total: None })
    })
    .await
}

pub async fn get(id: ListingId) -> Result<Listing, ApiError> {
    read_through(client::get(&format!("/listings/{id}")), async move {
        local::one::<Listing>(Entity::Listing, &id.to_string()).await.ok().flatten()
    })
    .await
}

/// A new listing, kept on this device and in its outbox first (made with or without a
/// network; online the server's record — with its reference — comes back within seconds).
pub async fn create(body: ListingForCreate) -> Result<Listing, ApiError> {
    let new = body.validate().map_err(|e| ApiError::validation(&e))?;
    // The server makes a rep or manager the agent of what they list; a guess until it answers.
    let local = new.to_local(engine::current_user(), chrono::Utc::now());
    let body = ListingForCreate { id: Some(new.id), ..body };
    outbox::create((Entity::Listing, new.id.to_string()), &body, &local).await.map(Saved::into_record)
}

/// Changes a listing through the outbox: only the fields that differ from the listing as this
/// device knows it, each with the value it replaces (they merge field by field with changes
/// that reached the server first). A status step the status machine does not allow is refused
/// by the server and comes back as the page's error.
pub async fn update(id: ListingId, body: ListingForUpdate) -> Result<Listing, ApiError> {
    let changes = body.validate().map_err(|e| ApiError::validation(&e))?;
    let current: Listing =
        outbox::known((Entity::Listing, &id.to_string()), client::get(&format!("/listings/{id}"))).await?;
    let facts = changes.apply(&current.facts()).map_err(|e| ApiError::validation(&e))?;
    let mut shown = current.clone();
    shown.set_facts(&facts);
    if let Some(custom) = &body.custom {
        shown.set_custom(custom);
    }
    shown.status = changes.status.unwrap_or(current.status);
    if let Some(Some(reference)) = &changes.reference {
        shown.reference = reference.clone();
    }
    outbox::update((Entity::Listing, id.to_string()), (&current, current.version), &body, |_| shown).await
}

pub async fn delete(id: ListingId) -> Result<(), ApiError> {
    client::send_empty::<()>(Method::Delete, &format!("/listings/{id}"), None).await
}

pub async fn history(id: ListingId) -> Result<Vec<StatusChange>, ApiError> {
    client::get(&format!("/listings/{id}/history")).await
}

pub async fn showings(id: ListingId) -> Result<Vec<Showing>, ApiError> {
    client::get(&format!("/listings/{id}/showings")).await
}

pub async fn matches(id: ListingId) -> Result<Vec<BuyerMatch>, ApiError> {
    client::get(&format!("/listings/{id}/matches")).await
}

pub async fn share(id: ListingId) -> Result<ShareLink, ApiError> {
    client::send(Method::Post, &format!("/listings/{id}/share"), &()).await
}

pub async fn stop_sharing(id: ListingId) -> Result<(), ApiError> {
    client::send_empty::<()>(Method::Delete, &format!("/listings/{id}/share"), None).await
}

pub async fn public(token: String) -> Result<super::PublicListing, ApiError> {
    client::get(&format!("/public/listings/{}", client::encode(&token))).await
}

/// Uploads one photo (a `File` from an input); answers the gallery.
#[cfg(feature = "hydrate")]
pub async fn upload_photo(id: ListingId, file: web_sys::File) -> Result<Vec<Photo>, ApiError> {
    let content_type = file.type_();
    let content_type = if content_type.is_empty() { "application/octet-stream".to_string() } else { content_type };
    client::post_raw(&format!("/listings/{id}/photos"), file, &content_type).await
}

pub async fn reorder_photos(id: ListingId, photo_ids: Vec<PhotoId>) -> Result<Vec<Photo>, ApiError> {
    client::send(Method::Put, &format!("/listings/{id}/photos/order"), &PhotoOrder { photo_ids }).await
}

pub async fn set_cover(id: ListingId, photo: PhotoId) -> Result<Vec<Photo>, ApiError> {
    client::send(Method::Post, &format!("/listings/{id}/photos/{photo}/cover"), &()).await
}

pub async fn delete_photo(id: ListingId, photo: PhotoId) -> Result<(), ApiError> {
    client::send_empty::<()>(Method::Delete, &format!("/listings/{id}/photos/{photo}"), None).await
}

/// Where the browser loads a photo from.
pub fn photo_url(listing: ListingId, photo: PhotoId, size: &str) -> String {
    format!("{}/listings/{listing}/photos/{photo}?size={size}", client::API)
}

/// Where a shared listing's photo loads from.
pub fn public_photo_url(token: &str, photo: PhotoId, size: &str) -> String {
    format!("{}/public/listings/{}/photos/{photo}?size={size}", client::API, client::encode(token))
}

pub async fn requirements(contact: ContactId) -> Result<Vec<Requirement>, ApiError> {
    client::get(&format!("/contacts/{contact}/requirements")).await
}

pub async fn put_requirement(contact: ContactId, body: RequirementForPut) -> Result<Requirement, ApiError> {
    client::send(Method::Put, &format!("/contacts/{contact}/requirements"), &body).await
}

pub async fn delete_requirement(contact: ContactId, transaction: &str) -> Result<(), ApiError> {
    client::send_empty::<()>(Method::Delete, &format!("/contacts/{contact}/requirements/{transaction}"), None).await
}

pub async fn contact_matches(contact: ContactId) -> Result<Vec<ListingMatch>, ApiError> {
    client::get(&format!("/contacts/{contact}/matches")).await
}
