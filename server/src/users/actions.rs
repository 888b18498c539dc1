//! Business steps on users that other domains take: a new secret for the caller's private
//! calendar feed (the feed itself is served by `appointments::feed`).

use super::store;
use crate::act::Act;
use crate::auth::token;
use crate::db::WriteTx;
use crate::error::AppResult;

/// Gives the caller a new calendar-feed secret: the old feed URL stops working at once.
/// Audited; returns the new secret.
pub async fn rotate_calendar_feed(act: &Act<'_>, tx: &mut WriteTx) -> AppResult<String> {
    let me = act.ctx.user_id();
    let secret = token::generate("fwc_");
    store::set_calendar_token(tx, me, &secret).await?;
    crate::audit::record(tx, Some(me), "user", &me.to_string(), "calendar_feed_rotate", serde_json::json!({})).await?;
    Ok(secret)
}
