//! Typed calls for notifications.

use super::{EmailSetting, Inbox};
use crate::client;
use crate::common::ApiError;

pub async fn inbox() -> Result<Inbox, ApiError> {
    client::get("/me/notifications").await
}

pub async fn mark_all_read() -> Result<(), ApiError> {
    client::send_empty::<()>(client::Method::Post, "/me/notifications/read", None).await
}

pub async fn email_settings() -> Result<Vec<EmailSetting>, ApiError> {
    client::get("/me/notification-settings").await
}

pub async fn save_email_settings(settings: Vec<EmailSetting>) -> Result<Vec<EmailSetting>, ApiError> {
    client::send(client::Method::Put, "/me/notification-settings", &settings).await
}
