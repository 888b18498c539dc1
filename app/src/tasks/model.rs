//! Follow-ups: a thing to do for a contact or deal, by someone, by a time.

use crate::common::{ContactId, DealId, TaskId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: TaskId,
    pub title: String,
    pub contact_id: Option<ContactId>,
    pub deal_id: Option<DealId>,
    pub assignee_id: UserId,
    pub due_at: chrono::DateTime<chrono::Utc>,
    pub done: bool,
    pub version: i64,
}

impl Task {
    pub fn is_overdue(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        !self.done && self.due_at < now
    }
}
