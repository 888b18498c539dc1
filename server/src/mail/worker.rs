//! Sends what the outbox holds: due rows, a batch at a time, each attempt recorded; a failure
//! is retried with exponential backoff until [`MAX_ATTEMPTS`].

use super::outbox::{self, Outcome};
use super::transport::{Envelope, SendError, Transport};
use crate::db::{Db, StoreResult};

/// A row claimed this long ago without an outcome belongs to a worker that died.
pub const STALE_MS: i64 = 10 * 60 * 1000;
/// Attempts before a message is given up.
pub const MAX_ATTEMPTS: i64 = 8;
/// Rows sent per round.
const BATCH: i64 = 50;

/// The transport and the sender address.
pub struct Mailer {
    pub transport: Transport,
    pub from: String,
}

/// The wait before attempt `attempts + 1`: 30 s, 1 min, 2 min … at most 6 h.
pub fn backoff_ms(attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    (30_000_i64 << doublings).min(6 * 3600 * 1000)
}

/// What a round did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub failed: usize,
    pub recovered: usize,
}

/// Sends every due row (one batch) as of `now` (ms).
pub async fn deliver_due(db: &Db, mailer: &Mailer, now: i64) -> StoreResult<Round> {
    let mut round = Round::default();
    for row in outbox::claim(db, now, STALE_MS, BATCH).await? {
        let outcome = if row.interrupted && mailer.transport.delivered(&row.id).await {
            round.recovered += 1;
            Outcome::AlreadySent
        } else if row.interrupted && !mailer.transport.knows_deliveries() {
            Outcome::Abandoned
        } else {
            let envelope = Envelope { id: &row.id, to: &row.to_address, subject: &row.subject, text: &row.body_text };
            match mailer.transport.send(&mailer.from, &envelope).await {
                Ok(()) => Outcome::Sent,
                Err(SendError::Permanent(error)) => Outcome::Failed { error, retry_at: None },
                Err(SendError::Temporary(error)) => Outcome::Failed {
                    error,
                    retry_at: (row.attempts < MAX_ATTEMPTS).then(|| now + backoff_ms(row.attempts)),
                },
            }
        };
        match &outcome {
            Outcome::Sent | Outcome::AlreadySent => round.sent += 1,
            Outcome::Failed { error, .. } => {
                tracing::warn!(email = %row.id, kind = %row.kind, attempt = row.attempts, %error, "email not sent");
                round.failed += 1;
            }
            Outcome::Abandoned => {
                tracing::error!(email = %row.id, kind = %row.kind, "email interrupted mid-send; not sent again");
                round.failed += 1;
            }
        }
        outbox::record(db, &row.id, now, &outcome).await?;
    }
    Ok(round)
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(super::backoff_ms(1), 30_000);
        assert_eq!(super::backoff_ms(2), 60_000);
        assert_eq!(super::backoff_ms(4), 240_000);
        assert_eq!(super::backoff_ms(30), 6 * 3600 * 1000);
    }
}
