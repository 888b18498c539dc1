//! Follow-ups: listed from the server while it answers (from this device otherwise), created
//! and ticked off through the outbox, so they work with no signal.

use super::{Task, TaskDue, TaskForCreate, TaskForUpdate};
use crate::client;
use crate::common::{ApiError, ErrorCode, Page, TaskId};
use crate::offline::outbox::{self, Saved};
use crate::offline::read::read_through;
use crate::offline::{engine, local};
use crate::sync::Entity;

/// `due`: `today`, `overdue`, `open` or `done`.
pub async fn list(due: &str) -> Result<Page<Task>, ApiError> {
    let path = format!("/tasks{}", client::query(&[("due", due), ("limit", "200")]));
    let picked = TaskDue::parse(due).unwrap_or_default();
    read_through(client::get(&path), async move {
        let me = engine::current_user()?;
        let tasks = local::all::<Task>(Entity::Task).await.ok()?;
        let now = chrono::Utc::now();
        let end_of_today = chrono::Local::now()
            .date_naive()
            .and_hms_opt(23, 59, 59)
            .and_then(|t| t.and_local_timezone(chrono::Local).single())
            .map_or(now, |t| t.with_timezone(&chrono::Utc));
        Some(Page { items: super::pick(&tasks, me, picked, now, end_of_today), next_cursor: None, total: None })
    })
    .await
}

pub async fn create(body: TaskForCreate) -> Result<Task, ApiError> {
    let body = TaskForCreate { id: Some(body.id.unwrap_or_default()), ..body };
    let new = body.validate().map_err(|e| ApiError::validation(&e))?;
    let me = engine::current_user().ok_or_else(|| ApiError::new(ErrorCode::Internal, "not signed in"))?;
    outbox::create((Entity::Task, new.id.to_string()), &body, &new.to_local(me)).await.map(Saved::into_record)
}

/// Changes a follow-up (ticks it off): the changed fields with what they held before.
pub async fn update(id: TaskId, body: TaskForUpdate) -> Result<Task, ApiError> {
    let body = body.validate().map_err(|e| ApiError::validation(&e))?;
    let Some(current) = local::one::<Task>(Entity::Task, &id.to_string()).await.ok().flatten() else {
        // Not on this device (someone else's follow-up, seen by a manager): only the server has it.
        return client::send(client::Method::Patch, &format!("/tasks/{id}"), &body).await;
    };
    let mut local = current.clone();
    if let Some(title) = &body.title {
        local.title.clone_from(title);
    }
    if let Some(due_at) = body.due_at {
        local.due_at = due_at;
    }
    if let Some(assignee) = body.assignee_id {
        local.assignee_id = assignee;
    }
    if let Some(done) = body.done {
        local.done = done;
        local.done_at = done.then(chrono::Utc::now);
    }
    outbox::update((Entity::Task, id.to_string()), (&current, current.version), &body, |_| local).await
}
