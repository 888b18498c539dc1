//! API errors: the one place where an error becomes an HTTP status and a client-safe body.
//!
//! Handlers return `Result<_, AppError>`. Internal errors are logged with their details and
//! answered with a generic message; nothing about SQL, paths or stack traces reaches a client.

use crate::db::StoreError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use fieldwork_app::common::{ApiError, ErrorBody, ErrorCode, FieldError, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("body too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    #[error("rate limited")]
    RateLimited { retry_after_s: u64 },
    #[error("unavailable")]
    Unavailable,
    #[error("update required")]
    UpdateRequired,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(what) => AppError::Conflict(what),
            StoreError::Invalid(fields) => AppError::Validation(fields),
            StoreError::Db(sqlx::Error::PoolTimedOut | sqlx::Error::Io(_)) => AppError::Unavailable,
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::from(e).into()
    }
}

impl AppError {
    /// A 400 naming one bad field.
    pub fn invalid(field: &str, error: FieldError) -> AppError {
        let mut errors = FieldErrors::new();
        errors.add(field, error);
        AppError::Validation(errors)
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        self.parts().0
    }

    /// The error as one text for a person outside the app (a website visitor): each wrong
    /// field on a line of its own.
    pub fn visitor_message(&self) -> String {
        match self {
            AppError::Validation(fields) => {
                fields.0.iter().map(|(f, e)| format!("{f}: {}", e.message())).collect::<Vec<_>>().join("\n")
            }
            other => other.parts().1.message,
        }
    }

    /// The error as the API's body says it, for a page drawn on the server (logged if internal).
    pub fn into_api_error(self) -> ApiError {
        if let AppError::Internal(err) = &self {
            tracing::error!(error = ?err, "internal error");
        }
        self.parts().1
    }

    fn parts(&self) -> (StatusCode, ApiError) {
        use ErrorCode as C;
        let e = |code, msg: &str| ApiError::new(code, msg);
        match self {
            AppError::Validation(fields) => (StatusCode::BAD_REQUEST, ApiError::validation(fields)),
            AppError::BadRequest(msg) => (StatusCode::BAD_REQUEST, e(C::BadRequest, msg)),
            AppError::PayloadTooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, e(C::BadRequest, "the request body is too large"))
            }
            AppError::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, e(C::BadRequest, "send the body as application/json"))
            }
            AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, e(C::Unauthenticated, "sign in to continue")),
            AppError::Forbidden => (StatusCode::FORBIDDEN, e(C::Forbidden, "your role may not do this")),
            AppError::NotFound => (StatusCode::NOT_FOUND, e(C::NotFound, "no such record")),
            AppError::Conflict(what) => (StatusCode::CONFLICT, e(C::Conflict, what)),
            AppError::Unprocessable(why) => (StatusCode::UNPROCESSABLE_ENTITY, e(C::Unprocessable, why)),
            AppError::RateLimited { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, e(C::RateLimited, "too many attempts; try again in a few minutes"))
            }
            AppError::UpdateRequired => (
                StatusCode::UPGRADE_REQUIRED,
                e(C::UpdateRequired, "this version of the app is too old for the server; reload to update"),
            ),
            AppError::Unavailable => {
                (StatusCode::SERVICE_UNAVAILABLE, e(C::Unavailable, "the database is unavailable"))
            }
            AppError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, e(C::Internal, "something went wrong on the server"))
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(err) = &self {
            tracing::error!(error = ?err, "internal error");
        }
        let (status, error) = self.parts();
        let mut response = (status, Json(ErrorBody { error })).into_response();
        if let AppError::RateLimited { retry_after_s } = self {
            response.headers_mut().insert(http::header::RETRY_AFTER, retry_after_s.into());
        }
        response
    }
}

/// `Json<T>` whose rejections (bad JSON, wrong content type, too large) use the error shape.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

impl<T: serde::Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

impl From<axum::extract::rejection::JsonRejection> for AppError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType,
            _ => AppError::BadRequest(rejection.body_text()),
        }
    }
}

impl From<axum::extract::rejection::PathRejection> for AppError {
    fn from(_: axum::extract::rejection::PathRejection) -> Self {
        AppError::NotFound
    }
}

impl From<axum::extract::rejection::QueryRejection> for AppError {
    fn from(rejection: axum::extract::rejection::QueryRejection) -> Self {
        AppError::BadRequest(rejection.body_text())
    }
}

/// A record a request links to (by `field`) that is missing or outside the caller's scope is
/// a bad field, not a missing route.
pub fn field_error(e: StoreError, field: &str) -> AppError {
    match e {
        StoreError::NotFound => AppError::invalid(field, FieldError::NotAllowed),
        other => other.into(),
    }
}
