//! `GET /healthz`: 200 when the database answers, 503 otherwise (for load balancers).

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

/// Database reachability, for load balancers and uptime checks.
#[utoipa::path(get, path = "/healthz", tag = "meta",
    responses((status = 200, description = "the database answers"), (status = 503, description = "the database does not answer")))]
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    if state.db.ping().await {
        (StatusCode::OK, Json(serde_json::json!({"status": "ok"})))
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({"status": "database unavailable"})))
    }
}
