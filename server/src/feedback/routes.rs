//! `/api/v1/public/feedback/{token}`: the survey a feedback link opens, for anyone holding the
//! link (no sign-in, no cookie: the unguessable token is the permission).

use super::{first_name, store};
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use fieldwork_app::common::ErrorBody;
use fieldwork_app::feedback::{FeedbackAnswer, Survey};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(survey, answer))
}

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

/// What the survey page shows. 409 once answered, 422 once expired, 404 for an unknown link.
#[utoipa::path(get, path = "/public/feedback/{token}", tag = "feedback", params(("token" = String, Path)),
    responses((status = 200, body = Survey), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn survey(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<impl IntoResponse> {
    well_formed(&token)?;
    let request = store::by_token(state.db.pool(), &token).await?;
    open(&request)?;
    let zone: chrono_tz::Tz = request.zone.parse().unwrap_or(chrono_tz::UTC);
    let survey = Survey {
        first_name: first_name(&request.contact_name),
        rep_name: request.rep_name,
        visited_on: request.visited_at.with_timezone(&zone).date_naive(),
        language: request.language,
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(survey)))
}

/// Answers the survey: a CSAT score (1–5), an NPS score (0–10) or both, and a comment. The link
/// works once.
#[utoipa::path(post, path = "/public/feedback/{token}", tag = "feedback", params(("token" = String, Path)),
    request_body = FeedbackAnswer,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn answer(
    State(state): State<AppState>,
    Path(token): Path<String>,
    ApiJson(body): ApiJson<FeedbackAnswer>,
) -> AppResult<StatusCode> {
    well_formed(&token)?;
    let answer = body.validate().map_err(AppError::Validation)?;
    let mut tx = state.db.begin_write().await?;
    let request = store::by_token(tx.conn(), &token).await?;
    open(&request)?;
    if !store::answer(&mut tx, &request.id, &answer).await? {
        return Err(AppError::Conflict("this link was already used: thank you for your answer".into()));
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
