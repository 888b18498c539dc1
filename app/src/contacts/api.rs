//! Typed calls for contacts, their timeline and communication log.

use super::{Contact, ContactForCreate, ContactForUpdate, ContactQuery, ContactSummary, TimelineEntry};
use crate::activities::{Activity, ActivityForCreate};
use crate::client::{self, Method};
use crate::common::{ApiError, ContactId, Page};
use crate::offline::outbox::{self, Saved};
use crate::offline::read::read_through;
use crate::offline::{engine, local};
use crate::sync::Entity;

/// The server's list; offline (or when it is slow) a search of the contacts on this device.
pub async fn list(query: ContactQuery) -> Result<Page<ContactSummary>, ApiError> {
    let local = query.clone();
    read_through(client::get(&format!("/contacts?{}", query.to_query_string())), async move {
        let contacts = local::all::<Contact>(Entity::Contact).await.ok()?;
        Some(super::search::local_page(&contacts, &local))
    })
    .await
}

/// The URL of the export (`csv` or `xlsx`) of the list `query` shows (a plain link: the
/// browser downloads it).
pub fn export_url(query: &ContactQuery, format: &str) -> String {
    let query = ContactQuery { limit: None, cursor: None, total: None, ..query.clone() };
    let filters = query.to_query_string();
    let sep = if filters.is_empty() { "" } else { "&" };
    format!("{}/contacts/export?{filters}{sep}format={format}", client::API)
}

pub async fn get(id: ContactId) -> Result<Contact, ApiError> {
    read_through(client::get(&format!("/contacts/{id}")), async move {
        local::one::<Contact>(Entity::Contact, &id.to_string()).await.ok().flatten()
    })
    .await
}

/// A lead made in the field (a name and a phone): kept on this device and sent with the next
/// sync — at once when online.
pub async fn create_lead(body: ContactForCreate) -> Result<Saved<Contact>, ApiError> {
    let new = body.validate().map_err(|e| ApiError::validation(&e))?;
    let local = new.to_local(engine::current_user(), chrono::Utc::now());
    outbox::create((Entity::Contact, new.id.to_string()), &body, &local).await
}

/// The full New contact form: through the outbox like a new lead.
pub async fn create(body: ContactForCreate) -> Result<Contact, ApiError> {
    create_lead(body).await.map(Saved::into_record)
}

/// Changes a contact: only the fields that differ from the contact as this device knows it
/// are sent, each with the value it replaces, so an edit made offline merges field by field
/// with edits that reach the server first (a field someone else changed keeps their value and
/// comes back as a conflict to resolve on the contact page).
pub async fn update(id: ContactId, body: ContactForUpdate) -> Result<Contact, ApiError> {
    body.validate().map_err(|e| ApiError::validation(&e))?;
    let current = outbox::known((Entity::Contact, &id.to_string()), get(id)).await?;
    let key = (Entity::Contact, id.to_string());
    outbox::update(key, (&current, current.version), &body, |fields| {
        let mut shown = serde_json::to_value(&current).unwrap_or_default();
        if let Some(shown) = shown.as_object_mut() {
            for (field, value) in fields {
                match (field.as_str(), value) {
                    (crate::sync::CUSTOM, serde_json::Value::Object(custom)) => {
                        for (key, value) in custom {
                            crate::sync::set_path(shown, &format!("{}.{key}", crate::sync::CUSTOM), value.clone());
                        }
                    }
                    _ => {
                        shown.insert(field.clone(), value.clone());
                    }
                }
            }
        }
        // The form's raw values (an unformatted phone) may not read as a stored contact; the
        // server's answer replaces the local copy anyway.
        serde_json::from_value(shown).unwrap_or_else(|_| current.clone())
    })
    .await
}

/// Everything held about a contact, as the JSON file a data-protection request asks for.
pub fn personal_data_url(id: ContactId) -> String {
    format!("{}/contacts/{id}/personal-data", client::API)
}

/// Erases a contact's personal data for good (office staff).
pub async fn erase(id: ContactId) -> Result<(), ApiError> {
    client::send_empty::<()>(Method::Post, &format!("/contacts/{id}/erase"), None).await
}

pub async fn duplicates() -> Result<Vec<super::DuplicateGroup>, ApiError> {
    client::get("/contacts/duplicates").await
}

pub async fn merge(into: ContactId, from: Vec<ContactId>) -> Result<Contact, ApiError> {
    client::send(Method::Post, &format!("/contacts/{into}/merge"), &super::MergeRequest { from }).await
}

pub async fn timeline(id: ContactId, cursor: Option<String>) -> Result<Page<TimelineEntry>, ApiError> {
    let first_page = cursor.is_none();
    let cursor = cursor.unwrap_or_default();
    let path = format!("/contacts/{id}/timeline{}", client::query(&[("limit", "50"), ("cursor", &cursor)]));
    read_through(client::get(&path), async move {
        if !first_page {
            return None;
        }
        let activities = local::all::<Activity>(Entity::Activity).await.ok()?;
        let visits = local::all::<crate::visits::Visit>(Entity::Visit).await.ok()?;
        Some(Page { items: super::local_entries(id, &activities, &visits), next_cursor: None, total: None })
    })
    .await
}

/// Logs a call, message or note: kept on this device and sent with the next sync (at once
/// when online; the server's answer comes back, or why it refused).
pub async fn log_activity(id: ContactId, body: ActivityForCreate) -> Result<Activity, ApiError> {
    let now = chrono::Utc::now();
    let body = ActivityForCreate {
        id: Some(body.id.unwrap_or_default()),
        occurred_at: Some(body.occurred_at.unwrap_or(now)),
        ..body
    };
    let new = body.validate(now).map_err(|e| ApiError::validation(&e))?;
    let local = new.to_local(id, engine::current_user());
    let mut fields = serde_json::to_value(&body).unwrap_or_default();
    if let Some(fields) = fields.as_object_mut() {
        fields.insert("contact_id".into(), serde_json::Value::String(id.to_string()));
    }
    outbox::create((Entity::Activity, new.id.to_string()), &fields, &local).await.map(Saved::into_record)
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
    mapping: &[super::import::Column],
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

/// Starts a change on many contacts (`selection`); the run's progress follows with [`bulk_run`].
pub async fn bulk(request: &super::bulk::BulkRequest) -> Result<super::bulk::BulkJob, ApiError> {
    client::send(Method::Post, "/contacts/bulk", request).await
}

pub async fn bulk_run(id: uuid::Uuid) -> Result<super::bulk::BulkJob, ApiError> {
    client::get(&format!("/contacts/bulk/{id}")).await
}

/// Puts back what a finished run changed.
pub async fn bulk_undo(id: uuid::Uuid) -> Result<super::bulk::BulkJob, ApiError> {
    client::send(Method::Post, &format!("/contacts/bulk/{id}/undo"), &()).await
}
