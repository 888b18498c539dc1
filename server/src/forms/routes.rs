//! `/api/v1/forms`: admins build lead-capture forms; `POST /api/v1/forms/{id}/submissions` is
//! public (form-encoded from a plain HTML form on any site, or JSON).

use super::{actions, store};
use crate::act::Act;
use crate::auth::Ctx;
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use fieldwork_app::common::{ErrorBody, FormId};
use fieldwork_app::forms::{LeadForm, LeadFormInput, SubmissionAccepted};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The largest submission accepted.
pub const SUBMISSION_LIMIT: usize = 16 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_forms, create_form))
        .routes(routes!(delete_form))
        .routes(routes!(submit))
        .route("/forms/{id}/submissions", axum::routing::options(preflight))
        .layer(DefaultBodyLimit::max(SUBMISSION_LIMIT))
}

/// The company's lead-capture forms, newest first (admins).
#[utoipa::path(get, path = "/forms", tag = "forms",
    responses((status = 200, body = Vec<LeadForm>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_forms(State(state): State<AppState>, ctx: Ctx) -> AppResult<Json<Vec<LeadForm>>> {
    ctx.require_admin()?;
    Ok(Json(store::list(&state.db).await?))
}

/// Create a form (admins): which fields it asks (`name`, `email`, `phone`, `company`, `address`,
/// `message`), which are required, the custom contact fields it asks too (`custom_fields`, by
/// key; posted as `custom.<key>`), the territory and owner new leads go to, and the thank-you
/// message. Answers the form with its `id`; the embeddable HTML posts to
/// `/api/v1/forms/{id}/submissions`.
#[utoipa::path(post, path = "/forms", tag = "forms", request_body = LeadFormInput,
    responses((status = 201, body = LeadForm), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn create_form(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<LeadFormInput>,
) -> AppResult<impl IntoResponse> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let form = actions::create(&act, &mut tx, &body).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(form)))
}

/// Delete a form (admins): its endpoint stops taking submissions; the leads stay.
#[utoipa::path(delete, path = "/forms/{id}", tag = "forms", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn delete_form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<FormId>) -> AppResult<StatusCode> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    actions::delete(&act, &mut tx, id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A browser asks before a cross-site JSON post: any site may post (no credentials are used).
async fn preflight() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let h = response.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    response
}

/// How the visitor posted: a plain HTML form gets a page back, a script gets JSON.
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded") || v.starts_with("multipart/form-data"))
}

/// Submit a form (public, no sign-in; `application/x-www-form-urlencoded` or JSON): creates a
/// lead, or finds the contact with the same email or phone, logs the submission on its
/// timeline and tells its owner. At most `FIELDWORK_FORM_RATE` posts per address and form per minute
/// (429 after), 16 KB per post; a filled-in honeypot field is thanked and dropped.
#[utoipa::path(post, path = "/forms/{id}/submissions", tag = "forms", params(("id" = String, Path)),
    request_body(content = BTreeMap<String, String>, content_type = "application/x-www-form-urlencoded"),
    responses((status = 201, body = SubmissionAccepted), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    extensions: axum::http::Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let html = wants_html(&headers);
    let ip = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |ConnectInfo(a)| a.ip());
    let result = match FormId::parse(&id) {
        None => Err(AppError::NotFound),
        Some(form) => match state.form_limiter.check(ip, form) {
            Err(retry_after_s) => Err(AppError::RateLimited { retry_after_s }),
            Ok(()) => accept(&state, form, &headers, &body).await,
        },
    };
    let mut response = match (result, html) {
        (Ok(thanks), false) => (StatusCode::CREATED, Json(SubmissionAccepted { message: thanks })).into_response(),
        (Ok(thanks), true) => page(StatusCode::CREATED, "Thank you", &thanks),
        (Err(e), false) => e.into_response(),
        (Err(e), true) => page(e.status(), "Your message was not sent", &e.visitor_message()),
    };
    response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

/// Decodes one submission and takes it in one transaction; answers the form's thank-you
/// message.
async fn accept(state: &AppState, id: FormId, headers: &HeaderMap, body: &[u8]) -> AppResult<String> {
    let values = parse_body(headers, body)?;
    let mut tx = state.db.begin_write().await?;
    let thanks = actions::submit(state, &mut tx, id, &values).await?;
    tx.commit().await?;
    Ok(thanks)
}

/// The posted fields as text: form-encoded or a JSON object of strings (numbers, and lists of
/// them). A name posted more than once (the boxes of several choices) holds its values joined
/// by commas.
fn parse_body(headers: &HeaderMap, body: &[u8]) -> AppResult<BTreeMap<String, String>> {
    let kind = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if kind.starts_with("application/json") {
        let object: BTreeMap<String, serde_json::Value> = serde_json::from_slice(body)
            .map_err(|e| AppError::BadRequest(format!("the body is not a JSON object: {e}")))?;
        Ok(object
            .into_iter()
            .filter_map(|(k, v)| match v {
                serde_json::Value::String(s) => Some((k, s)),
                serde_json::Value::Number(n) => Some((k, n.to_string())),
                serde_json::Value::Array(items) => {
                    Some((k, items.iter().filter_map(|i| i.as_str()).collect::<Vec<_>>().join(",")))
                }
                _ => None,
            })
            .collect())
    } else if kind.starts_with("application/x-www-form-urlencoded") || kind.is_empty() {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
            .map_err(|e| AppError::BadRequest(format!("the form data could not be read: {e}")))?;
        let mut values: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in pairs {
            values.entry(name).and_modify(|v| *v = format!("{v},{value}")).or_insert(value);
        }
        Ok(values)
    } else {
        Err(AppError::UnsupportedMediaType)
    }
}

/// A small self-contained page for visitors who posted a plain HTML form.
fn page(status: StatusCode, title: &str, message: &str) -> Response {
    use fieldwork_app::forms::escape;
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{t}</title><style>body{{font:18px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1d2433}}\
         a{{color:#1457d2}}</style></head><body><h1>{t}</h1><p>{m}</p><p><a href=\"javascript:history.back()\">Back</a></p></body></html>",
        t = escape(title),
        m = escape(message).replace('\n', "<br>"),
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], html)
        .into_response()
}
