//! The business steps on contacts: create, edit, delete — each reads what it touches in the
//! caller's scope, writes, and keeps its audit entry, whether it came by REST or sync.

use super::store;
use super::write::{self, Stages};
use crate::act::Act;
use crate::db::WriteTx;
use crate::error::{AppError, AppResult};
use crate::sync::entity::{self, Fields, Syncable};
use crate::{audit, fields};
use fieldwork_app::common::{ContactId, TerritoryId, UserId};
use fieldwork_app::contacts::{Contact, ContactForCreate, ContactForUpdate, ContactKind, NewContact};
use fieldwork_app::fields::{CustomValues, FieldDef, RecordType};
use fieldwork_app::sync::Entity;
use fieldwork_app::users::Role;

/// Creates a contact. Reps and managers own what they create; office staff and admins may
/// name any owner in their scope.
pub async fn create(act: &Act<'_>, tx: &mut WriteTx, body: &ContactForCreate) -> AppResult<Contact> {
    let defs = fields::actions::definitions(tx, RecordType::Contact).await?;
    let kind = body.kind.as_deref().map_or(Ok(ContactKind::Person), ContactKind::parse);
    let custom = fields::actions::values_for(act, &asked_of(&defs, kind.ok()), None, &body.custom);
    let (new, custom) = fields::actions::together(body.validate(), custom)?;
    let owner = crate::scope::owner_of_new(&act.state.db, act.scope().await?, act.ctx, new.owner_id).await?;
    let territory = act.state.territories.locate(new.location);
    let contact = write::insert(tx, &new, owner, territory, &custom).await?;
    fields::actions::keep_index(tx, &contact.id.to_string(), &defs, &custom).await?;
    audit::record(tx, Some(act.ctx.user_id()), "contact", &contact.id.to_string(), "create", serde_json::json!({}))
        .await?;
    Ok(contact)
}

/// Changes a contact in scope: any field; archiving and restoring are audited as such; a stale
/// `base_version` is refused.
pub async fn edit(act: &Act<'_>, tx: &mut WriteTx, id: ContactId, body: &ContactForUpdate) -> AppResult<Contact> {
    edit_with(act, tx, id, body, Stages::Forward).await
}

/// Puts back what a bulk run replaced on a contact: an edit that may also move the stage back.
pub(crate) async fn put_back(
    act: &Act<'_>,
    tx: &mut WriteTx,
    id: ContactId,
    body: &ContactForUpdate,
) -> AppResult<Contact> {
    edit_with(act, tx, id, body, Stages::Back).await
}

async fn edit_with(
    act: &Act<'_>,
    tx: &mut WriteTx,
    id: ContactId,
    body: &ContactForUpdate,
    stages: Stages,
) -> AppResult<Contact> {
    let scope = act.scope().await?;
    let current = store::get(tx.conn(), scope, &id.to_string()).await?;
    let defs = match body.custom {
        Some(_) => fields::actions::definitions(tx, RecordType::Contact).await?,
        None => vec![],
    };
    let kind = body.kind.as_deref().map_or(Ok(current.kind), ContactKind::parse);
    let asked = asked_of(&defs, kind.ok());
    let custom =
        body.custom.as_ref().map(|changes| fields::actions::values_for(act, &asked, Some(&current.custom), changes));
    let (changes, custom) = fields::actions::together(body.validate(), custom.transpose())?;
    if let Some(Some(owner)) = changes.owner_id {
        crate::scope::check_user(&act.state.db, scope, owner, "owner_id").await?;
    }
    let territory = act.state.territories.locate(changes.location.unwrap_or(current.location));
    let updated = write::update(tx, &current, &changes, territory, custom.as_ref(), stages).await?;
    if let Some(custom) = &custom {
        fields::actions::keep_index(tx, &id.to_string(), &defs, custom).await?;
    }
    let action = match (current.archived, updated.archived) {
        (false, true) => "archive",
        (true, false) => "restore",
        _ => "update",
    };
    audit::record(tx, Some(act.ctx.user_id()), "contact", &id.to_string(), action, audit::diff(&current, &updated))
        .await?;
    Ok(updated)
}

/// The fields a contact of `kind` is asked (every contact field while the kind is not a valid
/// one: the kind's own error names it). Values of the others stay as they are.
fn asked_of(defs: &[FieldDef], kind: Option<ContactKind>) -> Vec<FieldDef> {
    kind.map_or_else(|| defs.to_vec(), |kind| fieldwork_app::fields::for_contact(defs, kind))
}

/// Deletes a contact in scope for good (a tombstone for sync). Reps archive instead.
pub async fn delete(act: &Act<'_>, tx: &mut WriteTx, id: ContactId) -> AppResult<()> {
    let current = store::get(tx.conn(), act.scope().await?, &id.to_string()).await?;
    if act.ctx.role() == Role::Rep {
        return Err(AppError::Forbidden);
    }
    write::delete(tx, current.id).await?;
    let details = serde_json::json!({"name": current.name});
    audit::record(tx, Some(act.ctx.user_id()), "contact", &id.to_string(), "delete", details).await?;
    Ok(())
}

/// A lead that came in without a signed-in caller (a public web form): owned by `owner`, with
/// the `custom` values (checked against `defs`) it answered.
pub(crate) async fn capture(
    tx: &mut WriteTx,
    new: &NewContact,
    custom: &CustomValues,
    defs: &[FieldDef],
    owner: Option<UserId>,
    territory: Option<TerritoryId>,
) -> AppResult<Contact> {
    let contact = write::insert(tx, new, owner, territory, custom).await?;
    fields::actions::keep_index(tx, &contact.id.to_string(), defs, custom).await?;
    Ok(contact)
}

/// A lead form answered for contact `id`, which already existed: the answers (checked against
/// `defs`) fill the fields it has no value for and its kind is asked; a value it holds stays,
/// as a merge on import keeps it.
pub(crate) async fn fill_from_lead(
    tx: &mut WriteTx,
    id: ContactId,
    custom: &CustomValues,
    defs: &[FieldDef],
) -> AppResult<()> {
    let current = store::get(tx.conn(), &crate::scope::Scope::All, &id.to_string()).await?;
    let asked = asked_of(defs, Some(current.kind));
    let answers = custom.iter().filter(|(key, _)| asked.iter().any(|d| &d.key == *key));
    let Some(filled) = fieldwork_app::fields::fill_gaps(&current.custom, answers) else {
        return Ok(());
    };
    let changes = fieldwork_app::contacts::ContactChanges::default();
    write::update(tx, &current, &changes, current.territory_id, Some(&filled), Stages::Forward).await?;
    fields::actions::keep_index(tx, &id.to_string(), defs, &filled).await?;
    audit::record(tx, None, "contact", &id.to_string(), "lead_form_fill", serde_json::json!({})).await?;
    Ok(())
}

/// Something happened with the contact at `at` (ms): it is no longer stale.
pub(crate) async fn note_activity(tx: &mut WriteTx, id: ContactId, at: i64) -> AppResult<()> {
    Ok(write::touch(tx, id, at).await?)
}

/// The contact followed an unsubscribe link: no email campaign reaches them again.
pub(crate) async fn unsubscribe(tx: &mut WriteTx, id: ContactId) -> AppResult<()> {
    Ok(write::withdraw_email_consent(tx, id).await?)
}

impl Syncable for Contact {
    const ENTITY: Entity = Entity::Contact;

    async fn read(act: &Act<'_>, tx: &mut WriteTx, id: &str) -> AppResult<Contact> {
        Ok(store::get(tx.conn(), act.scope().await?, id).await?)
    }

    fn version(&self) -> i64 {
        self.version
    }

    async fn create(act: &Act<'_>, tx: &mut WriteTx, id: &str, fields: Fields) -> AppResult<Contact> {
        create(act, tx, &entity::body(fields, Some(id))?).await
    }

    async fn update(act: &Act<'_>, tx: &mut WriteTx, id: &str, fields: Fields) -> AppResult<Contact> {
        edit(act, tx, entity::id(id)?, &entity::body(fields, None)?).await
    }

    async fn delete(act: &Act<'_>, tx: &mut WriteTx, id: &str) -> AppResult<()> {
        delete(act, tx, entity::id(id)?).await
    }
}
