//! The one error shape of the API: `{"error": {"code", "message", "fields"}}`.
//!
//! The server builds it (with the HTTP status chosen from the code in one place); the browser
//! client decodes it and branches on [`ErrorCode`], so no screen parses message strings.

use super::{FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ErrorCode {
    /// 400: the request body or a field is invalid (`fields` says which).
    Validation,
    /// 400: the body is not valid JSON of the expected shape.
    BadRequest,
    /// 401: no valid session or API key.
    Unauthenticated,
    /// 403: signed in, but the role may not do this.
    Forbidden,
    /// 404: no such record in the caller's scope.
    NotFound,
    /// 409: the record changed or a unique value is taken.
    Conflict,
    /// 422: a business rule refuses the change (e.g. a status that cannot move back).
    Unprocessable,
    /// 426: this client is too old for the server; reload to update.
    UpdateRequired,
    /// 429: too many attempts; retry later.
    RateLimited,
    /// 503: a dependency (the database) is unavailable.
    Unavailable,
    /// 500: something went wrong on the server; details are in its log, not here.
    Internal,
    /// The browser could not reach the server at all (client side only).
    Network,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// Field name → message, for validation errors.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// Field name → why, as a code the app shows in its user's language (the same fields as
    /// `fields`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub codes: BTreeMap<String, FieldError>,
}

/// The JSON document of every error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ApiError,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), fields: BTreeMap::new(), codes: BTreeMap::new() }
    }

    pub fn validation(errors: &FieldErrors) -> Self {
        Self {
            code: ErrorCode::Validation,
            message: "some fields are invalid".into(),
            fields: errors.0.iter().map(|(k, v)| (k.clone(), v.message())).collect(),
            codes: errors.0.clone(),
        }
    }

    /// The fields that are wrong, each with the reason the server gave: its code where it sent
    /// one (shown translated), its message otherwise.
    pub fn field_errors(&self) -> FieldErrors {
        FieldErrors(
            self.fields
                .iter()
                .map(|(field, message)| {
                    let why = self.codes.get(field).cloned();
                    (field.clone(), why.unwrap_or_else(|| FieldError::Invalid { reason: message.clone() }))
                })
                .collect(),
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ApiError {}
