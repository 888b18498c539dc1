//! SQL for a listing's public share link.

use super::{photos, ListingRow, FULL, FULL_FROM};
use crate::db::{now_ms, parse_id, Db, StoreError, StoreResult, WriteTx};
use fieldwork_app::common::ListingId;
use fieldwork_app::listings::Listing;

/// The listing a share token shows, if sharing is on and the listing still exists.
pub async fn by_share_token(db: &Db, token: &str) -> StoreResult<Listing> {
    let sql = format!("SELECT {FULL} FROM {FULL_FROM} WHERE l.deleted = 0 AND l.share_token = $1");
    let row: Option<ListingRow> = sqlx::query_as(&sql).bind(token).fetch_optional(db.pool()).await?;
    let row = row.ok_or(StoreError::NotFound)?;
    let id: ListingId = parse_id(&row.id, "listings.id")?;
    let mut conn = db.pool().acquire().await?;
    let photos = photos(&mut conn, id).await?;
    row.into_listing(photos)
}

/// Sets (or with `None` clears) the share token.
pub async fn set_share_token(tx: &mut WriteTx, id: ListingId, token: Option<&str>) -> StoreResult<()> {
    let version = tx.next_version().await?;
    sqlx::query("UPDATE listings SET share_token = $2, updated_at = $3, version = $4 WHERE id = $1")
        .bind(id.to_string())
        .bind(token)
        .bind(now_ms())
        .bind(version)
        .execute(tx.conn())
        .await?;
    Ok(())
}
