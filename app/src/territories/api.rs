//! Typed calls for territories and the map.

use super::map::Bounds;
use super::{
    Assignee, AssigneeInput, AssigneesInput, MapPoints, MapSettings, RepOption, Territory, TerritoryForCreate,
    TerritoryForUpdate, TerritoryImport, TerritoryImportResult, TerritoryStats, Workload,
};
use crate::client::{self, Method};
use crate::common::{ApiError, TerritoryId};

pub async fn list() -> Result<Vec<Territory>, ApiError> {
    client::get("/territories").await
}

pub async fn create(body: TerritoryForCreate) -> Result<Territory, ApiError> {
    client::send(Method::Post, "/territories", &body).await
}

pub async fn update(id: TerritoryId, body: TerritoryForUpdate) -> Result<Territory, ApiError> {
    client::send(Method::Patch, &format!("/territories/{id}"), &body).await
}

pub async fn delete(id: TerritoryId) -> Result<(), ApiError> {
    client::send_empty::<()>(Method::Delete, &format!("/territories/{id}"), None).await
}

pub async fn import(body: TerritoryImport) -> Result<TerritoryImportResult, ApiError> {
    client::send(Method::Post, "/territories/import", &body).await
}

pub async fn stats(id: TerritoryId) -> Result<TerritoryStats, ApiError> {
    client::get(&format!("/territories/{id}/stats")).await
}

/// The reps covering the territory now or from a later date.
pub async fn assignees(id: TerritoryId) -> Result<Vec<Assignee>, ApiError> {
    client::get(&format!("/territories/{id}/assignees")).await
}

pub async fn set_assignees(id: TerritoryId, reps: Vec<crate::common::UserId>) -> Result<Vec<Assignee>, ApiError> {
    let body = AssigneesInput {
        assignees: reps.into_iter().map(|user_id| AssigneeInput { user_id, starts_on: None, ends_on: None }).collect(),
    };
    client::send(Method::Put, &format!("/territories/{id}/assignees"), &body).await
}

pub async fn workload(region: Option<TerritoryId>) -> Result<Workload, ApiError> {
    let region = region.map(|r| r.to_string()).unwrap_or_default();
    client::get(&format!("/territories/workload{}", client::query(&[("region", &region)]))).await
}

pub async fn reps() -> Result<Vec<RepOption>, ApiError> {
    client::get("/territories/reps").await
}

/// The contacts and listings in scope inside `bounds` (everything for none).
pub async fn points(bounds: Option<Bounds>) -> Result<MapPoints, ApiError> {
    let query = match bounds {
        Some(b) => {
            let f = |v: f64| format!("{v:.6}");
            let (w, s, e, n) =
                (f(b.west.max(-180.0)), f(b.south.max(-90.0)), f(b.east.min(180.0)), f(b.north.min(90.0)));
            client::query(&[("west", &w), ("south", &s), ("east", &e), ("north", &n)])
        }
        None => String::new(),
    };
    client::get(&format!("/map/points{query}")).await
}

pub async fn settings() -> Result<MapSettings, ApiError> {
    client::get("/map/settings").await
}
