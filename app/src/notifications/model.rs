use crate::common::NotificationId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: NotificationId,
    /// What happened: `listing_matches`, …
    pub kind: String,
    pub title: String,
    pub body: String,
    /// Where in the app to go (`/listings/…`).
    pub link: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub read: bool,
}

/// `GET /api/v1/me/notifications`: the latest notifications and how many are unread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Inbox {
    pub items: Vec<Notification>,
    pub unread: i64,
}
