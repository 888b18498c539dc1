//! Typed calls for campaigns.

use super::{Audience, Campaign, CampaignInput, Segment, Unsubscribe};
use crate::client;
use crate::common::ApiError;

pub async fn list() -> Result<Vec<Campaign>, ApiError> {
    client::get("/campaigns").await
}

pub async fn audience(segment: &Segment) -> Result<Audience, ApiError> {
    client::send(client::Method::Post, "/campaigns/audience", segment).await
}

pub async fn send(input: &CampaignInput) -> Result<Campaign, ApiError> {
    client::send(client::Method::Post, "/campaigns", input).await
}

pub async fn unsubscribe_info(token: String) -> Result<Unsubscribe, ApiError> {
    client::get(&format!("/public/unsubscribe/{}", client::encode(&token))).await
}

pub async fn unsubscribe(token: String) -> Result<Unsubscribe, ApiError> {
    client::send(client::Method::Post, &format!("/public/unsubscribe/{}", client::encode(&token)), &()).await
}
