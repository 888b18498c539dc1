//! `/api/v1/listings/{id}/photos`: upload (the image itself is the request body, up to
//! `FIELDWORK_PHOTO_MAX_MB`), reorder, pick the cover, delete, and the bytes in three sizes —
//! also through a share link.

use super::photos::{self, PhotoError, Size};
use super::routes::get_in_scope;
use super::store;
use crate::auth::Ctx;
use crate::error::{ApiJson, AppError, AppResult};
use crate::{audit, state::AppState};
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::common::{ErrorBody, FieldError, ListingId, PhotoId};
use fieldwork_app::listings::{Photo, PhotoOrder};
use utoipa_axum::{router::OpenApiRouter, routes};

/// Bodies above this never reach the handler (the configured photo limit is checked inside,
/// with a message that names it).
const MAX_BODY: usize = 256 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_photo))
        .routes(routes!(photo_bytes, delete_photo))
        .routes(routes!(reorder_photos))
        .routes(routes!(set_cover))
        .routes(routes!(public_photo_bytes))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
struct SizeParam {
    /// `thumb` (480 px), `large` (1600 px, the default) or `original`.
    #[param(inline)]
    size: Option<Size>,
}

/// A refused upload is a 400 on the field `photo`, with the reason in words.
fn photo_error(e: &PhotoError) -> AppError {
    AppError::invalid("photo", FieldError::Invalid { reason: e.message() })
}

/// Add a photo: the request body is the image (JPEG, PNG or WebP — checked by its bytes; the
/// content type and file name are ignored). It goes last in the gallery; a listing's first
/// photo becomes its cover. Answers the gallery.
#[utoipa::path(post, path = "/listings/{id}/photos", tag = "listings", params(("id" = String, Path)),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses((status = 201, body = Vec<Photo>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn upload_photo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<ListingId>,
    body: Body,
) -> AppResult<impl IntoResponse> {
    let listing = get_in_scope(&state, &ctx, id).await?;
    if listing.photos.len() as i64 >= photos::MAX_PER_LISTING {
        #[allow(clippy::cast_possible_truncation)] // a small constant
        return Err(AppError::invalid("photo", FieldError::TooMany { max: photos::MAX_PER_LISTING as usize }));
    }
    let max = state.settings.photo_max_bytes;
    let bytes = axum::body::to_bytes(body, max + 1)
        .await
        .map_err(|_| photo_error(&PhotoError::TooLarge { max_mb: max / (1024 * 1024) }))?;
    let processed = {
        let bytes = bytes.clone();
        tokio::task::spawn_blocking(move || photos::process(&bytes, max))
            .await
            .map_err(|e| AppError::Internal(e.into()))?
            .map_err(|e| photo_error(&e))?
    };
    let photo = PhotoId::new();
    let path = photos::original_path(id, photo, processed.extension);
    let dir = &state.settings.photo_dir;
    photos::save(dir, &path, &bytes, &processed).await.map_err(|e| AppError::Internal(e.into()))?;
    let written = async {
        let mut tx = state.db.begin_write().await?;
        let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        store::insert_photo(
            &mut tx,
            id,
            photo,
            processed.content_type,
            &path,
            size,
            (i64::from(processed.width), i64::from(processed.height)),
        )
        .await?;
        audit::record(
            &mut tx,
            Some(ctx.user_id()),
            "listing",
            &id.to_string(),
            "photo_add",
            serde_json::json!({"photo": photo, "bytes": size}),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, AppError>(())
    }
    .await;
    if let Err(e) = written {
        photos::remove(dir, &path).await;
        return Err(e);
    }
    let mut conn = state.db.pool().acquire().await?;
    Ok((StatusCode::CREATED, Json(store::photos(&mut conn, id).await?)))
}

async fn send_file(state: &AppState, original: &str, content_type: &str, size: Size) -> AppResult<impl IntoResponse> {
    let file = photos::file_for(&state.settings.photo_dir, original, size);
    let bytes = tokio::fs::read(&file).await.map_err(|e| {
        tracing::warn!(path = %file.display(), error = %e, "photo file missing");
        AppError::NotFound
    })?;
    let content_type = if size == Size::Original { content_type.to_string() } else { "image/jpeg".to_string() };
    // A photo id never gets other bytes, so the browser may keep it as long as it likes.
    Ok((
        [(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "private, max-age=31536000, immutable".into())],
        bytes,
    ))
}

/// A photo's bytes: `size=thumb` (480 px JPEG), `large` (1600 px JPEG, the default) or
/// `original` (as uploaded).
#[utoipa::path(get, path = "/listings/{id}/photos/{photo_id}", tag = "listings",
    params(("id" = String, Path), ("photo_id" = String, Path), SizeParam),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn photo_bytes(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, photo)): Path<(ListingId, PhotoId)>,
    Query(p): Query<SizeParam>,
) -> AppResult<impl IntoResponse> {
    get_in_scope(&state, &ctx, id).await?;
    let (path, content_type) = store::photo_file(&state.db, id, photo).await?;
    send_file(&state, &path, &content_type, p.size.unwrap_or(Size::Large)).await
}

/// A shared listing's photo (no sign-in: the share token is the key).
#[utoipa::path(get, path = "/public/listings/{token}/photos/{photo_id}", tag = "listings",
    params(("token" = String, Path), ("photo_id" = String, Path), SizeParam),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn public_photo_bytes(
    State(state): State<AppState>,
    Path((token, photo)): Path<(String, PhotoId)>,
    Query(p): Query<SizeParam>,
) -> AppResult<impl IntoResponse> {
    let listing = super::routes::shared(&state, &token).await?;
    let (path, content_type) = store::photo_file(&state.db, listing.id, photo).await?;
    // The public never gets the original (it may carry the camera's GPS position).
    let size = match p.size.unwrap_or(Size::Large) {
        Size::Original => Size::Large,
        other => other,
    };
    send_file(&state, &path, &content_type, size).await
}

/// Remove a photo; when it was the cover, the next photo becomes the cover.
#[utoipa::path(delete, path = "/listings/{id}/photos/{photo_id}", tag = "listings",
    params(("id" = String, Path), ("photo_id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn delete_photo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, photo)): Path<(ListingId, PhotoId)>,
) -> AppResult<StatusCode> {
    get_in_scope(&state, &ctx, id).await?;
    let mut tx = state.db.begin_write().await?;
    let path = store::delete_photo(&mut tx, id, photo).await?;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "listing",
        &id.to_string(),
        "photo_delete",
        serde_json::json!({"photo": photo}),
    )
    .await?;
    tx.commit().await?;
    photos::remove(&state.settings.photo_dir, &path).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Put the photos in a new order: every photo of the listing, each once.
#[utoipa::path(put, path = "/listings/{id}/photos/order", tag = "listings", params(("id" = String, Path)),
    request_body = PhotoOrder,
    responses((status = 200, body = Vec<Photo>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn reorder_photos(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<ListingId>,
    ApiJson(body): ApiJson<PhotoOrder>,
) -> AppResult<Json<Vec<Photo>>> {
    let listing = get_in_scope(&state, &ctx, id).await?;
    let mut have: Vec<PhotoId> = listing.photos.iter().map(|p| p.id).collect();
    let mut asked = body.photo_ids.clone();
    have.sort();
    asked.sort();
    if have != asked {
        return Err(AppError::invalid("photo_ids", FieldError::NotAllowed));
    }
    let mut tx = state.db.begin_write().await?;
    store::reorder_photos(&mut tx, id, &body.photo_ids).await?;
    tx.commit().await?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(Json(store::photos(&mut conn, id).await?))
}

/// Make a photo the cover (the first in the gallery and on cards).
#[utoipa::path(post, path = "/listings/{id}/photos/{photo_id}/cover", tag = "listings",
    params(("id" = String, Path), ("photo_id" = String, Path)),
    responses((status = 200, body = Vec<Photo>), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn set_cover(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, photo)): Path<(ListingId, PhotoId)>,
) -> AppResult<Json<Vec<Photo>>> {
    let listing = get_in_scope(&state, &ctx, id).await?;
    if !listing.photos.iter().any(|p| p.id == photo) {
        return Err(AppError::NotFound);
    }
    let mut tx = state.db.begin_write().await?;
    store::set_cover(&mut tx, id, photo).await?;
    tx.commit().await?;
    let mut conn = state.db.pool().acquire().await?;
    Ok(Json(store::photos(&mut conn, id).await?))
}
