//! Campaigns: a template sent to a segment. Sending renders the template for each recipient
//! (only contacts with an address who agreed to email), queues one outbox row per recipient
//! spread over time at `FIELDWORK_CAMPAIGN_RATE` a minute (the throttle: transactional email is
//! never stuck behind a campaign), logs each on the contact's timeline and adds an unsubscribe
//! link that works without signing in.

pub mod actions;
pub mod routes;
pub mod store;

use crate::error::{AppError, AppResult};

/// The stored hash of an unsubscribe link's token; a token not of our making is not found.
fn token_hash(token: &str) -> AppResult<String> {
    if token.starts_with("fwu_") && token.len() <= 100 {
        Ok(crate::feedback::store::hash(token))
    } else {
        Err(AppError::NotFound)
    }
}
