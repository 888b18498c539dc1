//! Campaigns: a template sent to a segment. Sending renders the template for each recipient
//! (only contacts with an address who agreed to email), queues one outbox row per recipient
//! spread over time at `FIELDWORK_CAMPAIGN_RATE` a minute (the throttle: transactional email is
//! never stuck behind a campaign), logs each on the contact's timeline and adds an unsubscribe
//! link that works without signing in.

pub mod routes;
pub mod store;
