//! The business steps on follow-ups: set one (for yourself, or for someone in your scope) and
//! change it (title, due time, assignee, ticked off).

use super::store;
use crate::act::Act;
use crate::db::WriteTx;
use crate::error::{field_error, AppError, AppResult};
use crate::sync::entity::{self, Fields, Syncable};
use crate::{audit, contacts};
use fieldwork_app::common::{TaskId, UserId};
use fieldwork_app::sync::Entity;
use fieldwork_app::tasks::{NewTask, Task, TaskForCreate, TaskForUpdate};

/// Sets a follow-up; its contact and deal must be in the caller's scope.
pub async fn create(act: &Act<'_>, tx: &mut WriteTx, body: &TaskForCreate) -> AppResult<Task> {
    let scope = act.scope().await?;
    let new = body.validate().map_err(AppError::Validation)?;
    let assignee = new.assignee_id.unwrap_or(act.ctx.user_id());
    crate::scope::check_user(&act.state.db, scope, assignee, "assignee_id").await?;
    if let Some(contact) = new.contact_id {
        contacts::store::get(tx.conn(), scope, &contact.to_string()).await.map_err(|e| field_error(e, "contact_id"))?;
    }
    if let Some(deal) = new.deal_id {
        crate::deals::store::get(tx.conn(), scope, deal).await.map_err(|e| field_error(e, "deal_id"))?;
    }
    let task = store::insert(tx, &new, assignee).await?;
    let details = serde_json::json!({"title": task.title});
    audit::record(tx, Some(act.ctx.user_id()), "task", &task.id.to_string(), "create", details).await?;
    Ok(task)
}

/// Changes a follow-up in scope.
pub async fn edit(act: &Act<'_>, tx: &mut WriteTx, id: TaskId, body: &TaskForUpdate) -> AppResult<Task> {
    let scope = act.scope().await?;
    let current = store::get(tx.conn(), scope, id).await?;
    let changes = body.validate().map_err(AppError::Validation)?;
    if let Some(assignee) = changes.assignee_id {
        crate::scope::check_user(&act.state.db, scope, assignee, "assignee_id").await?;
    }
    let task = store::update(tx, &current, &changes).await?;
    audit::record(tx, Some(act.ctx.user_id()), "task", &id.to_string(), "update", audit::diff(&current, &task)).await?;
    Ok(task)
}

/// The follow-up a check-out leaves for the rep `by` (checked as part of the check-out).
pub(crate) async fn follow_up(tx: &mut WriteTx, new: &NewTask, by: UserId) -> AppResult<Task> {
    Ok(store::insert(tx, new, by).await?)
}

impl Syncable for Task {
    const ENTITY: Entity = Entity::Task;

    async fn read(act: &Act<'_>, tx: &mut WriteTx, id: &str) -> AppResult<Task> {
        Ok(store::get(tx.conn(), act.scope().await?, entity::id(id)?).await?)
    }

    fn version(&self) -> i64 {
        self.version
    }

    async fn create(act: &Act<'_>, tx: &mut WriteTx, id: &str, fields: Fields) -> AppResult<Task> {
        create(act, tx, &entity::body(fields, Some(id))?).await
    }

    async fn update(act: &Act<'_>, tx: &mut WriteTx, id: &str, fields: Fields) -> AppResult<Task> {
        edit(act, tx, entity::id(id)?, &entity::body(fields, None)?).await
    }
}
