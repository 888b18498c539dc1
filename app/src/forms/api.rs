//! Typed calls for lead-capture forms (admin).

use super::{LeadForm, LeadFormInput};
use crate::client;
use crate::common::{ApiError, FormId};

pub async fn list() -> Result<Vec<LeadForm>, ApiError> {
    client::get("/forms").await
}

pub async fn create(input: &LeadFormInput) -> Result<LeadForm, ApiError> {
    client::send(client::Method::Post, "/forms", input).await
}

pub async fn delete(id: FormId) -> Result<(), ApiError> {
    client::send_empty::<()>(client::Method::Delete, &format!("/forms/{id}"), None).await
}
