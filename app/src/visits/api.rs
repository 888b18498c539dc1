//! Typed calls for check-in and check-out.

use super::{CheckedOut, Visit, VisitForCheckIn, VisitForCheckOut};
use crate::client::{self, Method};
use crate::common::{ApiError, VisitId};

pub async fn check_in(body: VisitForCheckIn) -> Result<Visit, ApiError> {
    client::send(Method::Post, "/visits", &body).await
}

pub async fn check_out(id: VisitId, body: VisitForCheckOut) -> Result<CheckedOut, ApiError> {
    client::send(Method::Post, &format!("/visits/{id}/checkout"), &body).await
}

/// The outcomes offered at check-out.
pub async fn outcomes() -> Result<Vec<String>, ApiError> {
    client::get("/visits/outcomes").await
}
