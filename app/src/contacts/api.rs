//! Typed calls for contacts, their timeline and communication log.

use super::{Contact, ContactForCreate, ContactForUpdate, ContactQuery, ContactSummary, TimelineEntry};
use crate::activities::{Activity, ActivityForCreate};
use crate::client::{self, Method};
use crate::common::{ApiError, ContactId, Page};

pub async fn list(query: ContactQuery) -> Result<Page<ContactSummary>, ApiError> {
    client::get(&format!("/contacts?{}", query.to_query_string())).await
}

/// The URL of the CSV export of the list `query` shows (a plain link: the browser downloads it).
pub fn export_url(query: &ContactQuery) -> String {
    let query = ContactQuery { limit: None, cursor: None, ..query.clone() };
    format!("{}/contacts/export?{}", client::API, query.to_query_string())
}

pub async fn get(id: ContactId) -> Result<Contact, ApiError> {
    client::get(&format!("/contacts/{id}")).await
}

pub async fn create(body: ContactForCreate) -> Result<Contact, ApiError> {
    client::send(Method::Post, "/contacts", &body).await
}

pub async fn update(id: ContactId, body: ContactForUpdate) -> Result<Contact, ApiError> {
    client::send(Method::Patch, &format!("/contacts/{id}"), &body).await
}

pub async fn timeline(id: ContactId, cursor: Option<String>) -> Result<Page<TimelineEntry>, ApiError> {
    let cursor = cursor.unwrap_or_default();
    client::get(&format!("/contacts/{id}/timeline{}", client::query(&[("limit", "50"), ("cursor", &cursor)]))).await
}

pub async fn log_activity(id: ContactId, body: ActivityForCreate) -> Result<Activity, ApiError> {
    client::send(Method::Post, &format!("/contacts/{id}/activities"), &body).await
}
