//! Check-in and check-out. Both are kept on this device first and sent with the next sync (at
//! once when online), so a rep in a basement with no signal still checks in and out.

use super::{CheckedOut, Visit, VisitForCheckIn, VisitForCheckOut};
use crate::client;
use crate::common::{ApiError, ErrorCode, VisitId};
use crate::offline::outbox::{self, Saved};
use crate::offline::read::read_through;
use crate::offline::{engine, local};
use crate::sync::{Entity, Op};

pub async fn check_in(body: VisitForCheckIn) -> Result<Visit, ApiError> {
    let now = chrono::Utc::now();
    // The time it happened travels with it: the server may get it hours later.
    let body = VisitForCheckIn { id: Some(body.id.unwrap_or_default()), at: Some(body.at.unwrap_or(now)), ..body };
    let body = body.validate(now).map_err(|e| ApiError::validation(&e))?;
    let id = body.id.unwrap_or_default();
    let rep = engine::current_user().ok_or_else(|| ApiError::new(ErrorCode::Internal, "not signed in"))?;
    let local = Visit {
        id,
        rep_id: rep,
        contact_id: body.contact_id,
        listing_id: body.listing_id,
        appointment_id: body.appointment_id,
        check_in_at: body.at.unwrap_or(now),
        check_in_position: body.position,
        check_in_accuracy_m: body.accuracy_m,
        distance_m: None,
        far: false,
        check_out_at: None,
        outcome: None,
        notes: None,
        next_step: None,
        buyer_reaction: None,
        version: 0,
        custom: crate::fields::CustomValues::new(),
    };
    outbox::create((Entity::Visit, id.to_string()), &body, &local).await.map(Saved::into_record)
}

pub async fn check_out(id: VisitId, body: VisitForCheckOut) -> Result<CheckedOut, ApiError> {
    let now = chrono::Utc::now();
    let body = VisitForCheckOut { at: Some(body.at.unwrap_or(now)), ..body };
    let Some(mut visit) = local::one::<Visit>(Entity::Visit, &id.to_string()).await.ok().flatten() else {
        // Checked in before this device kept visits: only the server knows it.
        return client::send(client::Method::Post, &format!("/visits/{id}/checkout"), &body).await;
    };
    visit.check_out_at = body.at;
    visit.outcome = Some(body.outcome.trim().to_string());
    visit.notes = body.notes.clone().filter(|n| !n.trim().is_empty());
    visit.next_step = body.next_step.as_ref().map(|s| s.title().trim().to_string());
    visit.buyer_reaction = body.buyer_reaction.as_deref().and_then(super::BuyerReaction::parse);
    visit.custom = body.custom.clone().into_iter().filter(|(_, v)| !v.is_null()).collect();
    let change = outbox::Change {
        entity: Entity::Visit,
        id: id.to_string(),
        op: Op::Update,
        body: &body,
        base: Default::default(),
        base_version: Some(visit.version),
    };
    let saved = outbox::record(change, &visit).await?;
    Ok(CheckedOut { visit: saved.into_record(), follow_up_id: None, appointment_id: None })
}

/// The outcomes offered at check-out (the last list seen, when offline).
pub async fn outcomes() -> Result<Vec<String>, ApiError> {
    let network = async {
        let found: Vec<String> = client::get("/visits/outcomes").await?;
        if let Ok(json) = serde_json::to_string(&found) {
            let _ = local::set_meta("visit_outcomes", &json).await;
        }
        Ok(found)
    };
    read_through(network, async {
        local::meta("visit_outcomes").await.ok().flatten().and_then(|raw| serde_json::from_str(&raw).ok())
    })
    .await
}
