//! Typed calls for email templates.

use super::{EmailQueued, EmailTemplate, RenderRequest, Rendered, SendEmail, TemplateInput};
use crate::client;
use crate::common::{ApiError, ContactId, TemplateId};

pub async fn list() -> Result<Vec<EmailTemplate>, ApiError> {
    client::get("/templates").await
}

pub async fn create(input: &TemplateInput) -> Result<EmailTemplate, ApiError> {
    client::send(client::Method::Post, "/templates", input).await
}

pub async fn update(id: TemplateId, input: &TemplateInput) -> Result<EmailTemplate, ApiError> {
    client::send(client::Method::Put, &format!("/templates/{id}"), input).await
}

pub async fn delete(id: TemplateId) -> Result<(), ApiError> {
    client::send_empty::<()>(client::Method::Delete, &format!("/templates/{id}"), None).await
}

pub async fn preview(id: TemplateId, on: &RenderRequest) -> Result<Rendered, ApiError> {
    client::send(client::Method::Post, &format!("/templates/{id}/preview"), on).await
}

pub async fn send_to(contact: ContactId, body: &SendEmail) -> Result<EmailQueued, ApiError> {
    client::send(client::Method::Post, &format!("/contacts/{contact}/emails"), body).await
}
