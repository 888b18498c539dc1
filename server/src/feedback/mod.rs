//! Customer feedback: after a visit is checked out, the contact gets a one-time link (no
//! sign-in) to a tiny survey — CSAT (1–5), NPS (0–10) and a comment — in their language.
//! Only the link's hash is stored; a link works once and expires.

pub mod actions;
pub mod routes;
pub mod store;

use crate::db::Db;
use crate::error::{AppError, AppResult};
use fieldwork_app::feedback::Survey;

/// How long a feedback link works.
pub const LINK_DAYS: i64 = 14;

/// The first word of a name, for a greeting.
pub fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_string()
}

/// What the survey behind the link `token` shows, while it can still be answered.
pub async fn survey(db: &Db, token: &str) -> AppResult<Survey> {
    well_formed(token)?;
    let request = store::by_token(db.pool(), token).await?;
    open(&request)?;
    Ok(Survey {
        first_name: first_name(&request.contact_name),
        rep_name: request.rep_name,
        visited_on: request.visited_at.with_timezone(&request.zone.tz()).date_naive(),
        language: request.language,
    })
}

/// A link of our making (anything else is not found).
fn well_formed(token: &str) -> AppResult<()> {
    if token.starts_with("fwf_") && token.len() <= 100 {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// A request that can still be answered: not answered yet, not expired.
fn open(request: &store::Request) -> AppResult<()> {
    if request.answered {
        return Err(AppError::Conflict("this link was already used: thank you for your answer".into()));
    }
    if request.expires_at < chrono::Utc::now() {
        return Err(AppError::Unprocessable("this link has expired".into()));
    }
    Ok(())
}
