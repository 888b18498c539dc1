//! Typed calls for contacts.

use super::ContactSummary;
use crate::client;
use crate::common::{ApiError, Page};

pub async fn list(cursor: Option<String>) -> Result<Page<ContactSummary>, ApiError> {
    client::get(&format!("/contacts{}", client::query(&[("limit", "50"), ("cursor", cursor.as_deref().unwrap_or(""))])))
        .await
}
