//! The business steps on deals: open one, change it (its facts, its owner, a step through the
//! stages) and delete it — each reads the deal in the caller's scope first and keeps its audit
//! entry.

use super::store;
use crate::act::Act;
use crate::db::WriteTx;
use crate::error::{field_error, AppError, AppResult};
use crate::{audit, contacts, fields, listings};
use fieldwork_app::common::{DealId, FieldError, FieldErrors};
use fieldwork_app::deals::{Deal, DealForCreate, DealForUpdate};
use fieldwork_app::fields::RecordType;
use fieldwork_app::users::Role;

/// Opens a deal for a contact in scope, optionally on a listing. Reps and managers own what
/// they open; office staff and admins may name any owner in their scope.
pub async fn open(act: &Act<'_>, tx: &mut WriteTx, body: &DealForCreate) -> AppResult<Deal> {
    let (ctx, scope) = (act.ctx, act.scope().await?);
    let defs = fields::actions::definitions(tx, RecordType::Deal).await?;
    let custom = fields::actions::values_for(act, &defs, None, &body.custom);
    let (new, custom) = fields::actions::together(body.validate(), custom)?;
    let owner = crate::scope::owner_of_new(&act.state.db, scope, ctx, new.owner_id).await?;
    contacts::store::get(tx.conn(), scope, &new.contact_id.to_string())
        .await
        .map_err(|e| field_error(e, "contact_id"))?;
    if let Some(listing) = new.listing_id {
        listings::store::check_exists(tx.conn(), listing).await.map_err(|e| field_error(e, "listing_id"))?;
    }
    let deal = store::insert(tx, &new, &custom, owner, Some(ctx.user_id())).await?;
    fields::actions::keep_index(tx, &deal.id.to_string(), &defs, &custom).await?;
    let details = serde_json::json!({"stage": deal.stage});
    audit::record(tx, Some(ctx.user_id()), "deal", &deal.id.to_string(), "create", details).await?;
    Ok(deal)
}

/// Changes a deal in scope. A stage moves `inquiry → proposal → negotiation → won | lost`:
/// open stages move freely, closed deals stay closed, and `lost` needs `lost_reason`. A stale
/// `base_version` is refused.
pub async fn change(act: &Act<'_>, tx: &mut WriteTx, id: DealId, body: &DealForUpdate) -> AppResult<Deal> {
    let (ctx, scope) = (act.ctx, act.scope().await?);
    let current = store::get(tx.conn(), scope, id).await?;
    let defs = match body.custom {
        Some(_) => fields::actions::definitions(tx, RecordType::Deal).await?,
        None => vec![],
    };
    let custom =
        body.custom.as_ref().map(|changes| fields::actions::values_for(act, &defs, Some(&current.custom), changes));
    let (changes, custom) = fields::actions::together(body.validate(), custom.transpose())?;
    if let Some(owner) = changes.owner_id {
        crate::scope::check_user(&act.state.db, scope, owner, "owner_id").await?;
    }
    if changes.base_version.is_some_and(|v| v != current.version) {
        return Err(AppError::Conflict("the deal changed since you loaded it; reload and try again".into()));
    }
    let stage = match changes.stage.filter(|s| *s != current.stage) {
        Some(to) => current.stage.transition(to, changes.lost_reason.as_deref()).map_err(|err| {
            let mut e = FieldErrors::new();
            e.add(if err == FieldError::Required { "lost_reason" } else { "stage" }, err);
            AppError::Validation(e)
        })?,
        None => current.stage,
    };
    let held = custom.as_ref().unwrap_or(&current.custom);
    let deal = store::update(tx, &current, &changes, stage, held, Some(ctx.user_id())).await?;
    if let Some(custom) = &custom {
        fields::actions::keep_index(tx, &id.to_string(), &defs, custom).await?;
    }
    audit::record(tx, Some(ctx.user_id()), "deal", &id.to_string(), "update", audit::diff(&current, &deal)).await?;
    Ok(deal)
}

/// Deletes a deal in scope. Reps mark it lost instead.
pub async fn delete(act: &Act<'_>, tx: &mut WriteTx, id: DealId) -> AppResult<()> {
    store::get(tx.conn(), act.scope().await?, id).await?;
    if act.ctx.role() == Role::Rep {
        return Err(AppError::Forbidden);
    }
    store::delete(tx, id).await?;
    audit::record(tx, Some(act.ctx.user_id()), "deal", &id.to_string(), "delete", serde_json::json!({})).await?;
    Ok(())
}
