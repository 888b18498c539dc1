//! Typed calls for listings.

use super::ListingSummary;
use crate::client;
use crate::common::{ApiError, Page};

pub async fn list(cursor: Option<String>) -> Result<Page<ListingSummary>, ApiError> {
    client::get(&format!("/listings{}", client::query(&[("limit", "50"), ("cursor", cursor.as_deref().unwrap_or(""))])))
        .await
}
