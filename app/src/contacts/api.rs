//! Typed calls for contacts, their timeline and communication log.

use super::{Contact, ContactForCreate, ContactForUpdate, ContactQuery, ContactSummary, TimelineEntry};
use crate::activities::{Activity, ActivityForCreate};
use crate::client::{self, Method};
use crate::common::{ApiError, ContactId, Page};

pub async fn list(query: ContactQuery) -> Result<Page<ContactSummary>, ApiError> {
    client::get(&format!("/contacts?{}", query.to_query_string())).await
}

/// The URL of the export (`csv` or `xlsx`) of the list `query` shows (a plain link: the
/// browser downloads it).
pub fn export_url(query: &ContactQuery, format: &str) -> String {
    let query = ContactQuery { limit: None, cursor: None, ..query.clone() };
    let filters = query.to_query_string();
    let sep = if filters.is_empty() { "" } else { "&" };
    format!("{}/contacts/export?{filters}{sep}format={format}", client::API)
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

pub async fn duplicates() -> Result<Vec<super::DuplicateGroup>, ApiError> {
    client::get("/contacts/duplicates").await
}

pub async fn merge(into: ContactId, from: Vec<ContactId>) -> Result<Contact, ApiError> {
    client::send(Method::Post, &format!("/contacts/{into}/merge"), &super::MergeRequest { from }).await
}

pub async fn timeline(id: ContactId, cursor: Option<String>) -> Result<Page<TimelineEntry>, ApiError> {
    let cursor = cursor.unwrap_or_default();
    client::get(&format!("/contacts/{id}/timeline{}", client::query(&[("limit", "50"), ("cursor", &cursor)]))).await
}

pub async fn log_activity(id: ContactId, body: ActivityForCreate) -> Result<Activity, ApiError> {
    client::send(Method::Post, &format!("/contacts/{id}/activities"), &body).await
}

/// The preview of a CSV file's first 64 KB (browser only).
#[cfg(feature = "hydrate")]
pub async fn import_preview(file: &web_sys::File) -> Result<super::import::ImportPreview, ApiError> {
    let network = |e: wasm_bindgen::JsValue| ApiError::new(crate::common::ErrorCode::Internal, format!("{e:?}"));
    let head = file.slice_with_i32_and_i32(0, 65_536).map_err(network)?;
    let text = wasm_bindgen_futures::JsFuture::from(head.text()).await.map_err(network)?;
    client::post_raw("/contacts/import/preview", text, "text/csv").await
}

/// Uploads the whole file and starts the import (browser only).
#[cfg(feature = "hydrate")]
pub async fn import_start(
    file: &web_sys::File,
    mapping: &[super::import::ImportField],
    duplicates: super::import::DuplicatePolicy,
) -> Result<super::import::ImportStatus, ApiError> {
    let query =
        client::query(&[("mapping", &super::import::mapping_param(mapping)), ("duplicates", duplicates.as_str())]);
    client::post_raw(&format!("/contacts/import{query}"), wasm_bindgen::JsValue::from(file.clone()), "text/csv").await
}

pub async fn import_status(id: &str) -> Result<super::import::ImportStatus, ApiError> {
    client::get(&format!("/contacts/import/{id}")).await
}

pub fn rejected_rows_url(id: &str) -> String {
    format!("{}/contacts/import/{id}/rejected", client::API)
}
