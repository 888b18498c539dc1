//! SQL for a listing's photos: their rows (the files are in `listings::photos`), order and cover.
//! Every change gives the listing a new version, so caches and the change feed notice.

use crate::db::{now_ms, parse_id, Db, StoreError, StoreResult, WriteTx};
use fieldwork_app::common::{ListingId, PhotoId};
use fieldwork_app::listings::Photo;

#[derive(sqlx::FromRow)]
struct PhotoRow {
    id: String,
    position: i64,
    is_cover: i64,
    content_type: String,
    size_bytes: i64,
    width: i64,
    height: i64,
}

/// A listing's photos: the cover first, then by position.
pub async fn photos(conn: &mut sqlx::AnyConnection, id: ListingId) -> StoreResult<Vec<Photo>> {
    let rows: Vec<PhotoRow> = sqlx::query_as(
        "SELECT id, position, is_cover, content_type, size_bytes, width, height FROM listing_photos \
         WHERE listing_id = $1 ORDER BY is_cover DESC, position, id",
    )
    .bind(id.to_string())
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Photo {
                id: parse_id(&r.id, "listing_photos.id")?,
                position: r.position,
                is_cover: r.is_cover != 0,
                content_type: r.content_type,
                size_bytes: r.size_bytes,
                width: r.width,
                height: r.height,
            })
        })
        .collect()
}

/// Where a photo's original is stored (relative to the photo folder) and its content type.
pub async fn photo_file(db: &Db, listing: ListingId, photo: PhotoId) -> StoreResult<(String, String)> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT path, content_type FROM listing_photos WHERE id = $1 AND listing_id = $2")
            .bind(photo.to_string())
            .bind(listing.to_string())
            .fetch_optional(db.pool())
            .await?;
    row.ok_or(StoreError::NotFound)
}

/// A new photo, last in the gallery; the first photo of a listing becomes its cover.
#[allow(clippy::too_many_arguments)]
pub async fn insert_photo(
    tx: &mut WriteTx,
    listing: ListingId,
    photo: PhotoId,
    content_type: &str,
    path: &str,
    size_bytes: i64,
    (width, height): (i64, i64),
) -> StoreResult<()> {
    let (count, last): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MAX(position) FROM listing_photos WHERE listing_id = $1")
            .bind(listing.to_string())
            .fetch_one(tx.conn())
            .await?;
    sqlx::query(
        "INSERT INTO listing_photos (id, listing_id, position, is_cover, content_type, path, size_bytes, created_at, \
         width, height) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(photo.to_string())
    .bind(listing.to_string())
    .bind(last.map_or(0, |p| p + 1))
    .bind(i64::from(count == 0))
    .bind(content_type)
    .bind(path)
    .bind(size_bytes)
    .bind(now_ms())
    .bind(width)
    .bind(height)
    .execute(tx.conn())
    .await?;
    touch(tx, listing).await
}

/// Puts the photos in the order given (every photo of the listing, each once).
pub async fn reorder_photos(tx: &mut WriteTx, listing: ListingId, order: &[PhotoId]) -> StoreResult<()> {
    for (position, photo) in order.iter().enumerate() {
        sqlx::query("UPDATE listing_photos SET position = $3 WHERE id = $1 AND listing_id = $2")
            .bind(photo.to_string())
            .bind(listing.to_string())
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .execute(tx.conn())
            .await?;
    }
    touch(tx, listing).await
}

/// Makes `photo` the one cover of the listing.
pub async fn set_cover(tx: &mut WriteTx, listing: ListingId, photo: PhotoId) -> StoreResult<()> {
    sqlx::query("UPDATE listing_photos SET is_cover = CASE WHEN id = $2 THEN 1 ELSE 0 END WHERE listing_id = $1")
        .bind(listing.to_string())
        .bind(photo.to_string())
        .execute(tx.conn())
        .await?;
    touch(tx, listing).await
}

/// Removes a photo's row (its files are removed by the caller after the commit); when it was the
/// cover, the next photo takes over. Answers the stored path.
pub async fn delete_photo(tx: &mut WriteTx, listing: ListingId, photo: PhotoId) -> StoreResult<String> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT path, is_cover FROM listing_photos WHERE id = $1 AND listing_id = $2")
            .bind(photo.to_string())
            .bind(listing.to_string())
            .fetch_optional(tx.conn())
            .await?;
    let (path, was_cover) = row.ok_or(StoreError::NotFound)?;
    sqlx::query("DELETE FROM listing_photos WHERE id = $1").bind(photo.to_string()).execute(tx.conn()).await?;
    if was_cover != 0 {
        let next: Option<String> =
            sqlx::query_scalar("SELECT id FROM listing_photos WHERE listing_id = $1 ORDER BY position, id LIMIT 1")
                .bind(listing.to_string())
                .fetch_optional(tx.conn())
                .await?;
        if let Some(next) = next {
            sqlx::query("UPDATE listing_photos SET is_cover = 1 WHERE id = $1").bind(next).execute(tx.conn()).await?;
        }
    }
    touch(tx, listing).await?;
    Ok(path)
}

/// A new version for a listing whose photos changed (so caches and the change feed notice).
async fn touch(tx: &mut WriteTx, listing: ListingId) -> StoreResult<()> {
    let version = tx.next_version().await?;
    sqlx::query("UPDATE listings SET updated_at = $2, version = $3 WHERE id = $1")
        .bind(listing.to_string())
        .bind(now_ms())
        .bind(version)
        .execute(tx.conn())
        .await?;
    Ok(())
}
