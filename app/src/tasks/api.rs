//! Typed calls for follow-ups.

use super::{Task, TaskForCreate, TaskForUpdate};
use crate::client::{self, Method};
use crate::common::{ApiError, Page, TaskId};

/// `due`: `today`, `overdue`, `open` or `done`.
pub async fn list(due: &str) -> Result<Page<Task>, ApiError> {
    client::get(&format!("/tasks{}", client::query(&[("due", due), ("limit", "200")]))).await
}

pub async fn create(body: TaskForCreate) -> Result<Task, ApiError> {
    client::send(Method::Post, "/tasks", &body).await
}

pub async fn update(id: TaskId, body: TaskForUpdate) -> Result<Task, ApiError> {
    client::send(Method::Patch, &format!("/tasks/{id}"), &body).await
}
