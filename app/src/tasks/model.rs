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

impl NewTask {
    /// The follow-up as this device shows it before the server has it.
    pub fn to_local(&self, me: UserId) -> Task {
        Task {
            id: self.id,
            title: self.title.clone(),
            contact_id: self.contact_id,
            contact_name: None,
            deal_id: self.deal_id,
            assignee_id: self.assignee_id.unwrap_or(me),
            due_at: self.due_at,
            done: false,
            done_at: None,
            version: 0,
        }
    }
}

/// `assignee`'s follow-ups that `due` picks, as the server lists them: open ones soonest first,
/// done ones latest first (for reading the device's copy without a network).
pub fn pick(
    tasks: &[Task],
    assignee: UserId,
    due: TaskDue,
    now: chrono::DateTime<chrono::Utc>,
    end_of_today: chrono::DateTime<chrono::Utc>,
) -> Vec<Task> {
    let mut picked: Vec<Task> = tasks
        .iter()
        .filter(|t| t.assignee_id == assignee)
        .filter(|t| match due {
            TaskDue::Today => !t.done && t.due_at <= end_of_today,
            TaskDue::Overdue => !t.done && t.due_at < now,
            TaskDue::Open => !t.done,
            TaskDue::Done => t.done,
        })
        .cloned()
        .collect();
    if due == TaskDue::Done {
        picked.sort_by(|a, b| b.done_at.cmp(&a.done_at).then_with(|| b.id.cmp(&a.id)));
    } else {
        picked.sort_by(|a, b| a.due_at.cmp(&b.due_at).then_with(|| a.id.cmp(&b.id)));
    }
    picked
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

    #[test]
    fn the_devices_follow_ups_are_picked_as_the_server_picks_them() {
        let me = UserId::new();
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-24T10:00:00Z").unwrap().to_utc();
        let end = now + chrono::Duration::hours(8);
        let task = |title: &str, hours: i64, done: bool, assignee: UserId| Task {
            id: TaskId::new(),
            title: title.into(),
            contact_id: None,
            contact_name: None,
            deal_id: None,
            assignee_id: assignee,
            due_at: now + chrono::Duration::hours(hours),
            done,
            done_at: done.then_some(now),
            version: 1,
        };
        let tasks = [
            task("later today", 3, false, me),
            task("overdue", -2, false, me),
            task("tomorrow", 30, false, me),
            task("done", -1, true, me),
            task("someone else's", 1, false, UserId::new()),
        ];
        let titles = |due| pick(&tasks, me, due, now, end).into_iter().map(|t| t.title).collect::<Vec<_>>();
        assert_eq!(titles(TaskDue::Today), ["overdue", "later today"]);
        assert_eq!(titles(TaskDue::Overdue), ["overdue"]);
        assert_eq!(titles(TaskDue::Open), ["overdue", "later today", "tomorrow"]);
        assert_eq!(titles(TaskDue::Done), ["done"]);
    }
}
