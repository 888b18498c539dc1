//! Typed calls for the public survey (no sign-in: the link's token is the permission).

use super::{FeedbackAnswer, Survey};
use crate::client;
use crate::common::ApiError;

pub async fn survey(token: String) -> Result<Survey, ApiError> {
    client::get(&format!("/public/feedback/{}", client::encode(&token))).await
}

pub async fn answer(token: String, answer: FeedbackAnswer) -> Result<(), ApiError> {
    client::send_empty(client::Method::Post, &format!("/public/feedback/{}", client::encode(&token)), Some(&answer))
        .await
}
