//! The business steps on listings that devices also make offline: add a listing, and change
//! one (its facts, its agent, a step of its status).

use super::{matches, store};
use crate::act::Act;
use crate::db::WriteTx;
use crate::error::{field_error, AppError, AppResult};
use crate::scope::Scope;
use crate::state::AppState;
use crate::sync::entity::{self, Fields, Syncable};
use crate::{audit, fields, notifications};
use fieldwork_app::common::{FieldError, ListingId, UserId};
use fieldwork_app::fields::RecordType;
use fieldwork_app::listings::{Listing, ListingForCreate, ListingForUpdate, ListingStatus};
use fieldwork_app::sync::Entity;
use fieldwork_app::users::Role;

/// Adds a listing: a `draft` unless `status` is `available` (then matching buyers' owners are
/// told once it has committed); it gets a reference when none is given, and the territory that
/// contains its location.
pub async fn create(act: &Act<'_>, tx: &mut WriteTx, body: &ListingForCreate) -> AppResult<Listing> {
    let (state, ctx, scope) = (act.state, act.ctx, act.scope().await?);
    let defs = fields::actions::definitions(tx, RecordType::Listing).await?;
    let custom = fields::actions::values_for(act, &defs, None, &body.custom);
    let (new, custom) = fields::actions::together(body.validate(), custom)?;
    let agent = agent_for(state, scope, ctx, new.agent_id).await?;
    let territory = state.territories.locate(new.facts.location);
    if let Some(owner) = new.facts.owner_contact_id {
        store::check_owner_contact(tx.conn(), scope, owner).await.map_err(|e| field_error(e, "owner_contact_id"))?;
    }
    let listing = store::insert(tx, &new, &custom, territory, agent, ctx.user_id()).await?;
    fields::actions::keep_index(tx, &listing.id.to_string(), &defs, &custom).await?;
    audit::record(
        tx,
        Some(ctx.user_id()),
        "listing",
        &listing.id.to_string(),
        "create",
        serde_json::json!({"status": listing.status, "reference": listing.reference}),
    )
    .await?;
    if listing.status == ListingStatus::Available {
        on_the_market(act, &listing);
    }
    Ok(listing)
}

/// Changes a listing in scope; its status only takes a step the status machine allows, and a
/// stale `base_version` is refused. Back on the market, matching buyers' owners are told once
/// it has committed.
pub async fn edit(act: &Act<'_>, tx: &mut WriteTx, id: ListingId, body: &ListingForUpdate) -> AppResult<Listing> {
    let (state, ctx, scope) = (act.state, act.ctx, act.scope().await?);
    let current = &store::get(tx.conn(), scope, id).await?;
    if body.base_version.is_some_and(|v| v != current.version) {
        return Err(AppError::Conflict("the listing changed since you loaded it; reload and try again".into()));
    }
    let defs = match body.custom {
        Some(_) => fields::actions::definitions(tx, RecordType::Listing).await?,
        None => vec![],
    };
    let custom =
        body.custom.as_ref().map(|changes| fields::actions::values_for(act, &defs, Some(&current.custom), changes));
    let (changes, custom) = fields::actions::together(body.validate(), custom.transpose())?;
    let agent_change = match changes.agent_id {
        Some(Some(agent)) => Some(Some(crate::scope::check_user(&state.db, scope, agent, "agent_id").await?)),
        other => other,
    };
    let facts = changes.apply(&current.facts()).map_err(AppError::Validation)?;
    let status = match changes.status.filter(|s| *s != current.status) {
        Some(to) if !current.status.can_become(to, facts.transaction) => {
            let allowed: Vec<&str> =
                current.status.next(facts.transaction).into_iter().map(ListingStatus::as_str).collect();
            return Err(AppError::Conflict(format!(
                "a listing that is {} can become {}, not {}",
                current.status.as_str(),
                if allowed.is_empty() { "nothing else".to_string() } else { allowed.join(" or ") },
                to.as_str()
            )));
        }
        Some(to) => to,
        None => current.status,
    };
    if facts.transaction != current.transaction && matches!(status, ListingStatus::Sold | ListingStatus::Rented) {
        return Err(AppError::invalid("transaction", FieldError::NotAllowed));
    }
    if let Some(owner) = changes.new_owner_contact().filter(|o| Some(*o) != current.owner_contact_id) {
        store::check_owner_contact(tx.conn(), scope, owner).await.map_err(|e| field_error(e, "owner_contact_id"))?;
    }
    let reference = changes.reference.clone().flatten().unwrap_or_else(|| current.reference.clone());
    let territory = state.territories.locate(facts.location);
    let agent = agent_change.unwrap_or(current.agent_id);
    let held = custom.as_ref().unwrap_or(&current.custom);
    let listing = store::update(tx, current, &reference, status, &facts, held, territory, agent, ctx.user_id()).await?;
    if let Some(custom) = &custom {
        fields::actions::keep_index(tx, &id.to_string(), &defs, custom).await?;
    }
    let mut diff = audit::diff(current, &listing);
    if let Some(photos) = diff.get_mut("photos") {
        *photos = serde_json::Value::Null;
    }
    audit::record(tx, Some(ctx.user_id()), "listing", &current.id.to_string(), "update", diff).await?;
    if status == ListingStatus::Available && matches!(current.status, ListingStatus::Draft | ListingStatus::Withdrawn) {
        on_the_market(act, &listing);
    }
    Ok(listing)
}

/// The agent of a listing the caller creates or reassigns: one asked for (active and in the
/// caller's scope), else the caller when they work in the field.
async fn agent_for(
    state: &AppState,
    scope: &Scope,
    ctx: &crate::auth::Ctx,
    asked: Option<UserId>,
) -> AppResult<Option<UserId>> {
    Ok(match asked {
        Some(agent) => Some(crate::scope::check_user(&state.db, scope, agent, "agent_id").await?),
        None if matches!(ctx.role(), Role::Rep | Role::Manager) => Some(ctx.user_id()),
        None => None,
    })
}

/// The listing came on the market: once the write has committed, tell the owners of matching
/// buyers.
fn on_the_market(act: &Act<'_>, listing: &Listing) {
    let (state, listing) = (act.state.clone(), listing.clone());
    act.after_commit(async move { tell_matching_buyers(&state, &listing).await });
}

/// Tells the owners of matching buyers about a listing that came on the market: one
/// notification per owner who can open the listing (its agent, or a rep of its territory).
/// A failure here is logged; the listing is already saved.
async fn tell_matching_buyers(state: &AppState, listing: &Listing) {
    let told = async {
        let buyers = matches::buyers_for(&state.db, &Scope::All, listing).await?;
        let mut by_owner: std::collections::BTreeMap<UserId, Vec<String>> = Default::default();
        for buyer in buyers {
            if let Some(owner) = buyer.owner_id {
                by_owner.entry(owner).or_default().push(buyer.contact_name);
            }
        }
        if by_owner.is_empty() {
            return Ok::<usize, crate::db::StoreError>(0);
        }
        let mut told = Vec::new();
        for (owner, names) in by_owner {
            if store::visible_to(&state.db, listing.id, owner).await? {
                told.push((owner, names));
            }
        }
        if told.is_empty() {
            return Ok(0);
        }
        let mut tx = state.db.begin_write().await?;
        for (owner, names) in &told {
            let user = crate::users::store::by_id(&state.db, *owner).await?;
            let notice = notifications::Notice::ListingMatches {
                listing: listing.id.to_string(),
                title: listing.title.clone(),
                reference: listing.reference.clone(),
                buyers: names.clone(),
            };
            let key = format!("listing_matches:{}:{owner}", listing.id);
            notifications::notify(&mut tx, &state.settings.link_base(), &user, &notice, &key).await?;
        }
        tx.commit().await?;
        Ok(told.len())
    };
    match told.await {
        Ok(n) => tracing::info!(listing = %listing.id, owners = n, "told owners of matching buyers"),
        Err(e) => tracing::error!(listing = %listing.id, error = %e, "matching buyers could not be told"),
    }
}

impl Syncable for Listing {
    const ENTITY: Entity = Entity::Listing;

    async fn read(act: &Act<'_>, tx: &mut WriteTx, id: &str) -> AppResult<Listing> {
        Ok(store::get(tx.conn(), act.scope().await?, entity::id(id)?).await?)
    }

    fn version(&self) -> i64 {
        self.version
    }

    async fn create(act: &Act<'_>, tx: &mut WriteTx, id: &str, fields: Fields) -> AppResult<Listing> {
        create(act, tx, &entity::body(fields, Some(id))?).await
    }

    /// Field by field; the status only takes a step the status machine allows.
    async fn update(act: &Act<'_>, tx: &mut WriteTx, id: &str, fields: Fields) -> AppResult<Listing> {
        edit(act, tx, entity::id(id)?, &entity::body(fields, None)?).await
    }
}
