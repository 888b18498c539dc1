//! Typed calls for the pipeline.

use super::{Deal, DealBoard, DealForUpdate};
use crate::client::{self, Method};
use crate::common::{ApiError, DealId};

pub async fn board() -> Result<DealBoard, ApiError> {
    client::get("/deals?limit=200").await
}

pub async fn update(id: DealId, body: DealForUpdate) -> Result<Deal, ApiError> {
    client::send(Method::Patch, &format!("/deals/{id}"), &body).await
}

pub async fn create(body: super::DealForCreate) -> Result<Deal, ApiError> {
    client::send(client::Method::Post, "/deals", &body).await
}
