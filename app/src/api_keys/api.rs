//! Typed calls for API keys.

use super::{ApiKey, ApiKeyCreated, ApiKeyForCreate};
use crate::client::{self, Method};
use crate::common::{ApiError, ApiKeyId};

pub async fn list() -> Result<Vec<ApiKey>, ApiError> {
    client::get("/api-keys").await
}

pub async fn create(name: String) -> Result<ApiKeyCreated, ApiError> {
    client::send(Method::Post, "/api-keys", &ApiKeyForCreate { name }).await
}

pub async fn revoke(id: ApiKeyId) -> Result<(), ApiError> {
    client::send_empty::<()>(Method::Delete, &format!("/api-keys/{id}"), None).await
}
