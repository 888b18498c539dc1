//! Follow-ups: a thing to do for a contact or deal, by someone, by a time.

use crate::common::validation::required_text;
use crate::common::{ContactId, DealId, FieldError, FieldErrors, TaskId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Task {
    pub id: TaskId,
    pub title: String,
    pub contact_id: Option<ContactId>,
    /// The contact's name, for lists.
    pub contact_name: Option<String>,
    pub deal_id: Option<DealId>,
    pub assignee_id: UserId,
    pub due_at: chrono::DateTime<chrono::Utc>,
    pub done: bool,
    pub done_at: Option<chrono::DateTime<chrono::Utc>>,
    pub version: i64,
}

impl Task {
    pub fn is_overdue(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        !self.done && self.due_at < now
    }
}

/// `POST /api/v1/tasks`. The assignee is the creator unless told otherwise.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskForCreate {
    #[serde(default)]
    pub id: Option<TaskId>,
    pub title: String,
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    #[serde(default)]
    pub deal_id: Option<DealId>,
    #[serde(default)]
    pub assignee_id: Option<UserId>,
    pub due_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewTask {
    pub id: TaskId,
    pub title: String,
    pub contact_id: Option<ContactId>,
    pub deal_id: Option<DealId>,
    pub assignee_id: Option<UserId>,
    pub due_at: chrono::DateTime<chrono::Utc>,
}

impl TaskForCreate {
    pub fn validate(&self) -> Result<NewTask, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.check("title", required_text(&self.title, 200));
        e.into_result(|| NewTask {
            id: self.id.unwrap_or_default(),
            title: title.unwrap(),
            contact_id: self.contact_id,
            deal_id: self.deal_id,
            assignee_id: self.assignee_id,
            due_at: self.due_at,
        })
    }
}

/// `PATCH /api/v1/tasks/{id}`: absent fields stay; `done: true` ticks it off.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskForUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<bool>,
}

impl TaskForUpdate {
    pub fn validate(&self) -> Result<TaskForUpdate, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = self.title.as_deref().and_then(|t| e.check("title", required_text(t, 200)));
        e.into_result(|| TaskForUpdate { title, ..self.clone() })
    }
}

/// Which of a user's tasks a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum TaskDue {
    /// Open tasks due before the end of today (local), overdue included.
    #[default]
    Today,
    /// Open tasks due before now.
    Overdue,
    /// Every open task.
    Open,
    /// Done tasks, most recent first.
    Done,
}

impl TaskDue {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match raw {
            "today" => Ok(Self::Today),
            "overdue" => Ok(Self::Overdue),
            "open" => Ok(Self::Open),
            "done" => Ok(Self::Done),
            _ => Err(FieldError::NotAllowed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_needs_a_title_and_is_overdue_only_while_open() {
        let due = chrono::Utc::now();
        let blank = TaskForCreate { title: " ".into(), due_at: due, ..Default::default() };
        assert_eq!(blank.validate().unwrap_err().get("title"), Some(&FieldError::Required));
        let t = TaskForCreate { title: "Call back about the flat".into(), due_at: due, ..Default::default() }
            .validate()
            .unwrap();
        let mut task = Task {
            id: t.id,
            title: t.title,
            contact_id: None,
            contact_name: None,
            deal_id: None,
            assignee_id: UserId::new(),
            due_at: due,
            done: false,
            done_at: None,
            version: 1,
        };
        assert!(task.is_overdue(due + chrono::Duration::minutes(1)));
        task.done = true;
        assert!(!task.is_overdue(due + chrono::Duration::minutes(1)));
    }
}
