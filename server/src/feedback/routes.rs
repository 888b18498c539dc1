//! `/api/v1/public/feedback/{token}`: the survey a feedback link opens, for anyone holding the
//! link (no sign-in, no cookie: the unguessable token is the permission).

use super::actions;
use crate::error::{ApiJson, AppResult};
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

/// What the survey page shows. 409 once answered, 422 once expired, 404 for an unknown link.
#[utoipa::path(get, path = "/public/feedback/{token}", tag = "feedback", params(("token" = String, Path)),
    responses((status = 200, body = Survey), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn survey(State(state): State<AppState>, Path(token): Path<String>) -> AppResult<impl IntoResponse> {
    let survey = super::survey(&state.db, &token).await?;
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
    let mut tx = state.db.begin_write().await?;
    actions::answer(&mut tx, &token, &body).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
