//! The business steps on territories: create one, edit it (rename, recolour, move into another
//! region, reshape), delete it, import many from a `GeoJSON` `FeatureCollection`, and set the reps
//! who cover one. Only managers, office staff and admins take them. A change of outline places
//! the contacts and listings inside again, in the same transaction, and the new index replaces
//! the one requests read once the transaction has committed.

use super::{assign, geometry, store, TerritoryIndex};
use crate::act::Act;
use crate::audit;
use crate::db::WriteTx;
use crate::error::{field_error, AppError, AppResult};
use fieldwork_app::common::{FieldError, FieldErrors, TerritoryId};
use fieldwork_app::territories::{
    parse_colour, parse_name, Assignee, AssigneesInput, RejectedFeature, Territory, TerritoryForCreate,
    TerritoryForUpdate, TerritoryImport, TerritoryImportResult, PALETTE,
};
use fieldwork_app::users::Role;
use geo::BoundingRect;

/// Creates a territory from a `GeoJSON` Polygon or `MultiPolygon`. An invalid shape is refused
/// with the place it goes wrong; the colour defaults to the next of the palette.
pub async fn create(act: &Act<'_>, tx: &mut WriteTx, body: &TerritoryForCreate) -> AppResult<Territory> {
    let ctx = act.ctx;
    ctx.require_not_rep()?;
    let mut e = FieldErrors::new();
    let name = e.check("name", parse_name(&body.name));
    let colour = body.colour.as_deref().and_then(|c| e.check("colour", parse_colour(c)));
    let shape = match geometry::parse(&body.geometry) {
        Ok(shape) => Some(shape),
        Err(se) => {
            e.add("geometry", FieldError::InvalidShape { reason: se.to_string() });
            None
        }
    };
    let (name, shape) = e.into_result(|| (name.unwrap_or_default(), shape)).map_err(AppError::Validation)?;
    if let Some(parent) = body.parent_id {
        store::get(tx.conn(), parent).await.map_err(|e| field_error(e, "parent_id"))?;
    }
    let colour = match colour {
        Some(c) => c,
        None => PALETTE[usize::try_from(store::count(tx.conn()).await?).unwrap_or(0) % PALETTE.len()].to_string(),
    };
    let territory = store::insert(tx, &name, &colour, body.parent_id, &body.geometry).await?;
    let index = super::load(tx.conn()).await?;
    let areas: Vec<_> = shape.and_then(|s| s.bounding_rect()).into_iter().collect();
    let moved = assign::reassign(tx, &index, &areas).await?;
    audit::record(
        tx,
        Some(ctx.user_id()),
        "territory",
        &territory.id.to_string(),
        "create",
        serde_json::json!({"name": territory.name, "contacts_moved": moved.contacts, "listings_moved": moved.listings}),
    )
    .await?;
    replace_index(act, index);
    Ok(territory)
}

/// Renames, recolours, moves into another region (never under itself) or reshapes a
/// territory; a stale `base_version` is refused. Reshaping places the contacts and listings in
/// its old and new outline again.
pub async fn edit(act: &Act<'_>, tx: &mut WriteTx, id: TerritoryId, body: &TerritoryForUpdate) -> AppResult<Territory> {
    let ctx = act.ctx;
    ctx.require_not_rep()?;
    let mut e = FieldErrors::new();
    let name = body.name.as_deref().and_then(|n| e.check("name", parse_name(n)));
    let colour = body.colour.as_deref().and_then(|c| e.check("colour", parse_colour(c)));
    let shape = match body.geometry.as_ref().map(geometry::parse) {
        Some(Ok(shape)) => Some(shape),
        Some(Err(se)) => {
            e.add("geometry", FieldError::InvalidShape { reason: se.to_string() });
            None
        }
        None => None,
    };
    e.into_result(|| ()).map_err(AppError::Validation)?;
    let current = store::get(tx.conn(), id).await?;
    if body.base_version.is_some_and(|v| v != current.version) {
        return Err(AppError::Conflict("the territory changed since you loaded it".into()));
    }
    if let Some(Some(parent)) = body.parent_id {
        store::get(tx.conn(), parent).await.map_err(|e| field_error(e, "parent_id"))?;
        if store::would_cycle(tx, id, parent).await? {
            return Err(AppError::invalid("parent_id", FieldError::NotAllowed));
        }
    }
    let mut next = current.clone();
    if let Some(name) = name {
        next.name = name;
    }
    if let Some(colour) = colour {
        next.colour = colour;
    }
    if let Some(parent) = body.parent_id {
        next.parent_id = parent;
    }
    let mut areas = Vec::new();
    if let (Some(shape), Some(geometry)) = (&shape, &body.geometry) {
        areas.extend(geometry::read(&current.geometry).ok().and_then(|old| old.bounding_rect()));
        areas.extend(shape.bounding_rect());
        next.geometry = geometry.clone();
    }
    let updated = store::update(tx, &next).await?;
    let index = super::load(tx.conn()).await?;
    let moved = assign::reassign(tx, &index, &areas).await?;
    let mut changes = audit::diff(&current, &updated);
    if let Some(map) = changes.as_object_mut() {
        if map.contains_key("geometry") {
            map.insert("geometry".into(), serde_json::json!("reshaped"));
        }
        map.insert("contacts_moved".into(), moved.contacts.into());
        map.insert("listings_moved".into(), moved.listings.into());
    }
    audit::record(tx, Some(ctx.user_id()), "territory", &id.to_string(), "update", changes).await?;
    replace_index(act, index);
    Ok(updated)
}

/// Deletes a territory: its contacts and listings fall to whatever else holds them (a region,
/// or none), its sub-territories leave it, and its assignments end today.
pub async fn delete(act: &Act<'_>, tx: &mut WriteTx, id: TerritoryId) -> AppResult<()> {
    let ctx = act.ctx;
    ctx.require_not_rep()?;
    let current = store::get(tx.conn(), id).await?;
    store::delete(tx, id, ctx.today()).await?;
    let index = super::load(tx.conn()).await?;
    let areas: Vec<_> = geometry::read(&current.geometry).ok().and_then(|s| s.bounding_rect()).into_iter().collect();
    let moved = assign::reassign(tx, &index, &areas).await?;
    audit::record(
        tx,
        Some(ctx.user_id()),
        "territory",
        &id.to_string(),
        "delete",
        serde_json::json!({"name": current.name, "contacts_moved": moved.contacts, "listings_moved": moved.listings}),
    )
    .await?;
    replace_index(act, index);
    Ok(())
}

/// Imports one territory per feature of a `GeoJSON` `FeatureCollection`, named by the feature
/// property `name_property`. Valid features are created; the others are listed with the reason
/// (which says where their geometry goes wrong). One audit entry for the whole import.
pub async fn import(act: &Act<'_>, tx: &mut WriteTx, body: &TerritoryImport) -> AppResult<TerritoryImportResult> {
    let ctx = act.ctx;
    ctx.require_not_rep()?;
    let mut e = FieldErrors::new();
    if body.name_property.trim().is_empty() {
        e.add("name_property", FieldError::Required);
    }
    let collection: Option<geojson::FeatureCollection> = if let Ok(c) = serde_json::from_value(body.collection.clone())
    {
        Some(c)
    } else {
        e.add("collection", FieldError::InvalidShape { reason: "must be a GeoJSON FeatureCollection".into() });
        None
    };
    let collection = e.into_result(|| collection.unwrap_or_default()).map_err(AppError::Validation)?;
    let mut result = TerritoryImportResult::default();
    if let Some(parent) = body.parent_id {
        store::get(tx.conn(), parent).await.map_err(|e| field_error(e, "parent_id"))?;
    }
    let mut count = usize::try_from(store::count(tx.conn()).await?).unwrap_or(0);
    let mut areas = Vec::new();
    for (index, feature) in collection.features.iter().enumerate() {
        let name = feature.properties.as_ref().and_then(|p| p.get(body.name_property.trim())).and_then(|v| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        let reject = |reason: String| RejectedFeature { index, name: name.clone(), reason };
        let Some(name) = name.as_deref().map(parse_name) else {
            result.rejected.push(reject(format!("has no {} property", body.name_property.trim())));
            continue;
        };
        let name = match name {
            Ok(n) => n,
            Err(e) => {
                result.rejected.push(reject(format!("name {}", e.message())));
                continue;
            }
        };
        let Some(geometry) = feature.geometry.as_ref() else {
            result.rejected.push(reject("has no geometry".into()));
            continue;
        };
        let value = serde_json::to_value(geometry).unwrap_or_default();
        match geometry::parse(&value) {
            Ok(shape) => {
                areas.extend(shape.bounding_rect());
                let colour = PALETTE[count % PALETTE.len()];
                count += 1;
                result.created.push(store::insert(tx, &name, colour, body.parent_id, &value).await?);
            }
            Err(se) => result.rejected.push(reject(se.to_string())),
        }
    }
    let index = super::load(tx.conn()).await?;
    let moved = assign::reassign(tx, &index, &areas).await?;
    audit::record(
        tx,
        Some(ctx.user_id()),
        "territory",
        "import",
        "import",
        serde_json::json!({"created": result.created.len(), "rejected": result.rejected.len(),
            "contacts_moved": moved.contacts, "listings_moved": moved.listings}),
    )
    .await?;
    replace_index(act, index);
    Ok(result)
}

/// Sets who covers a territory: each listed rep (active, and in the caller's scope: a manager
/// assigns their own team) from `starts_on` (default today) until `ends_on` (open if absent).
/// Reps not listed stop today; past assignments stay as history. A rep newly assigned is told.
/// Answers the assignments current and to come.
pub async fn assign(
    act: &Act<'_>,
    tx: &mut WriteTx,
    id: TerritoryId,
    body: &AssigneesInput,
) -> AppResult<Vec<Assignee>> {
    let (state, ctx) = (act.state, act.ctx);
    ctx.require_not_rep()?;
    let today = ctx.today();
    let scope = act.scope().await?;
    let mut e = FieldErrors::new();
    for (i, a) in body.assignees.iter().enumerate() {
        let field = format!("assignees.{i}");
        match crate::users::store::by_id(&state.db, a.user_id).await {
            Ok(user) if user.active && user.role == Role::Rep && scope.covers_user(a.user_id) => {}
            _ => e.add(&format!("{field}.user_id"), FieldError::NotAllowed),
        }
        let starts = a.starts_on.unwrap_or(today);
        if a.ends_on.is_some_and(|end| end <= starts) {
            e.add(&format!("{field}.ends_on"), FieldError::NotAllowed);
        }
        if body.assignees[..i].iter().any(|b| b.user_id == a.user_id) {
            e.add(&format!("{field}.user_id"), FieldError::Taken);
        }
    }
    e.into_result(|| ()).map_err(AppError::Validation)?;
    let territory = store::get(tx.conn(), id).await?;
    let keep: Vec<_> = body.assignees.iter().map(|a| a.user_id).collect();
    let before = store::assignees(tx.conn(), id, today).await?;
    store::end_assignments(tx, id, &keep, today).await?;
    for a in &body.assignees {
        store::upsert_assignment(tx, id, a.user_id, a.starts_on.unwrap_or(today), a.ends_on, today).await?;
    }
    let after = store::assignees(tx.conn(), id, today).await?;
    for a in body.assignees.iter().filter(|a| !before.iter().any(|b| b.user_id == a.user_id)) {
        let user = crate::users::store::by_id(&state.db, a.user_id).await?;
        let starts_on = a.starts_on.unwrap_or(today);
        let notice = crate::notifications::Notice::Territory {
            territory: id.to_string(),
            name: territory.name.clone(),
            starts_on,
        };
        let key = format!("territory:{id}:{}:{starts_on}", a.user_id);
        crate::notifications::notify(tx, &state.settings.link_base(), &user, &notice, &key).await?;
    }
    audit::record(
        tx,
        Some(ctx.user_id()),
        "territory",
        &id.to_string(),
        "assign",
        serde_json::json!({"before": before, "after": after}),
    )
    .await?;
    Ok(after)
}

/// Once the transaction has committed, requests place records by `index` (built inside it, so
/// with its changes); if it does not commit, the index in use stays.
fn replace_index(act: &Act<'_>, index: TerritoryIndex) {
    let shared = act.state.territories.clone();
    act.after_commit(async move { shared.replace(index) });
}
