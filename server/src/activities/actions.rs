//! The business step on the communication log: logging a call, email, message or note on a
//! contact in the caller's scope.

use super::store;
use crate::act::Act;
use crate::db::WriteTx;
use crate::error::{AppError, AppResult};
use crate::sync::entity::{self, Fields, Syncable};
use crate::{audit, contacts};
use fieldwork_app::activities::{Activity, ActivityForCreate, NewActivity};
use fieldwork_app::common::{ContactId, FieldError, UserId};
use fieldwork_app::sync::Entity;

/// Logs an activity on a contact in scope; the contact is no longer stale.
pub async fn log(act: &Act<'_>, tx: &mut WriteTx, contact: ContactId, body: &ActivityForCreate) -> AppResult<Activity> {
    contacts::store::get(tx.conn(), act.scope().await?, &contact.to_string()).await?;
    let new = body.validate(chrono::Utc::now()).map_err(AppError::Validation)?;
    let activity = store::insert(tx, contact, act.ctx.user_id(), &new).await?;
    contacts::actions::note_activity(tx, contact, new.occurred_at.timestamp_millis()).await?;
    let details = serde_json::json!({"contact_id": contact, "kind": new.kind});
    audit::record(tx, Some(act.ctx.user_id()), "activity", &activity.id.to_string(), "create", details).await?;
    Ok(activity)
}

/// An entry the app makes itself on a contact's log (an email sent from a template or a
/// campaign, a web form's submission), by `author`. The caller has checked the contact.
pub async fn record(tx: &mut WriteTx, contact: ContactId, author: UserId, new: &NewActivity) -> AppResult<Activity> {
    Ok(store::insert(tx, contact, author, new).await?)
}

impl Syncable for Activity {
    const ENTITY: Entity = Entity::Activity;

    /// Logged offline: the contact travels in the fields.
    async fn create(act: &Act<'_>, tx: &mut WriteTx, id: &str, fields: Fields) -> AppResult<Activity> {
        let contact = fields
            .get("contact_id")
            .and_then(serde_json::Value::as_str)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| AppError::invalid("contact_id", FieldError::Required))?;
        log(act, tx, contact, &entity::body(fields, Some(id))?).await
    }
}
