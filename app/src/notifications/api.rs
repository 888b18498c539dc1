//! Typed calls for notifications.

use super::Inbox;
use crate::client;
use crate::common::ApiError;

pub async fn inbox() -> Result<Inbox, ApiError> {
    client::get("/me/notifications").await
}

pub async fn mark_all_read() -> Result<(), ApiError> {
    client::send_empty::<()>(client::Method::Post, "/me/notifications/read", None).await
}
