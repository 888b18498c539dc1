//! The communication log: calls, emails, messages and notes on a contact.

use crate::common::{ActivityId, ContactId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ActivityKind {
    Call,
    Email,
    Sms,
    Chat,
    Social,
    Note,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Direction {
    Inbound,
    Outbound,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: ActivityId,
    pub contact_id: ContactId,
    pub author_id: UserId,
    pub kind: ActivityKind,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    pub direction: Option<Direction>,
    pub duration_s: Option<i32>,
    pub result: Option<String>,
    pub body: String,
    pub version: i64,
}
