//! The background worker: every `FIELDWORK_JOBS_INTERVAL_MS` it gives the notices time has
//! made due (reminders, agendas), sends the email outbox, and takes over bulk runs whose server
//! stopped. Its state is all in the database, so it survives restarts; a round that fails is
//! logged and the next one tries again.

use crate::{mail, notifications, state::AppState};
use chrono::{DateTime, Utc};

/// What one round did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Round {
    pub given: notifications::jobs::Given,
    pub mail: mail::worker::Round,
    /// Bulk runs on contacts taken over from a server that stopped.
    pub bulk_taken: usize,
}

/// One round as of `now`: due notices first, so their emails go out in the same round.
pub async fn run_once(state: &AppState, now: DateTime<Utc>) -> crate::db::StoreResult<Round> {
    let given = notifications::jobs::run(state, now).await?;
    let mail = mail::worker::deliver_due(&state.db, &state.mailer, now.timestamp_millis()).await?;
    let bulk_taken = crate::contacts::bulk::resume_stalled(state).await?;
    Ok(Round { given, mail, bulk_taken })
}

/// Starts the worker (unless the interval is 0).
pub fn spawn(state: AppState) {
    let interval = state.settings.jobs_interval_ms;
    if interval == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(std::time::Duration::from_millis(interval));
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match run_once(&state, Utc::now()).await {
                Ok(round) if round != Round::default() => tracing::info!(?round, "background round"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "background round failed; trying again next round"),
            }
        }
    });
}
