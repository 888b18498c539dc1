//! `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`.

use super::{password, sessions, throttle, token, SESSION_COOKIE};
use crate::error::{ApiJson, AppError, AppResult};
use crate::{users, AppState};
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use fieldwork_app::common::{ErrorBody, UserId};
use fieldwork_app::users::{LoginRequest, User};
use http::HeaderMap;
use std::net::SocketAddr;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login)).routes(routes!(logout))
}

/// Sign in with email and password; sets the HttpOnly session cookie.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = User), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(req): ApiJson<LoginRequest>,
) -> AppResult<impl IntoResponse> {
    // Signing a victim's browser into the attacker's account (login CSRF) is refused too.
    if !super::ctx::same_origin_or_safe(&http::Method::POST, &headers) {
        return Err(AppError::Forbidden);
    }
    let email = req.email.trim().to_lowercase();
    if throttle::record_attempt(&state.db, &email, &ip, state.settings.login_max_failures).await? {
        return Err(AppError::RateLimited { retry_after_s: 900 });
    }
    let found = users::store::by_email_with_hash(&state.db, &email).await?;
    let stored_hash = found.as_ref().map(|(_, h)| h.clone());
    let password_ok = password::verify(req.password, stored_hash).await;
    let user = match found {
        Some((user, _)) if password_ok && user.active => user,
        Some((user, _)) => {
            let mut tx = state.db.begin_write().await?;
            let detail = serde_json::json!({"ip": ip, "reason": if user.active { "password" } else { "inactive" }});
            crate::audit::record(&mut tx, None, "user", &user.id.to_string(), "sign_in_failed", detail).await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        }
        None => return Err(AppError::Unauthenticated),
    };
    throttle::clear(&state.db, &email).await?;
    let user_agent = headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok());
    let mut tx = state.db.begin_write().await?;
    // The session this browser had before (anyone's) ends: a sign-in always starts a new one.
    if let Some(old) = jar.get(SESSION_COOKIE) {
        sessions::delete_in(&mut tx, &token::hash(old.value())).await?;
    }
    let secret = sessions::create(&mut tx, user.id, state.settings.session_days, user_agent).await?;
    crate::audit::record(
        &mut tx,
        Some(user.id),
        "user",
        &user.id.to_string(),
        "sign_in",
        serde_json::json!({"ip": ip}),
    )
    .await?;
    tx.commit().await?;
    // A fresh token on every sign-in: a session id planted before sign-in is never promoted.
    let jar = jar.remove(Cookie::from(SESSION_COOKIE)).add(session_cookie(&state, secret));
    let jar = jar.add(locale_cookie(&state, user.language.as_str()));
    Ok((jar, axum::Json(user)))
}

/// Sign out: ends the session on the server (if it is still live) and clears the cookie.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", responses((status = 204)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn logout(State(state): State<AppState>, headers: HeaderMap, jar: CookieJar) -> AppResult<impl IntoResponse> {
    // Another site cannot sign a user out either.
    if !super::ctx::same_origin_or_safe(&http::Method::POST, &headers) {
        return Err(AppError::Forbidden);
    }
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        let mut tx = state.db.begin_write().await?;
        if let Some(user_id) = sessions::delete_in(&mut tx, &token::hash(cookie.value())).await? {
            crate::audit::record(&mut tx, UserId::parse(&user_id), "user", &user_id, "sign_out", serde_json::json!({}))
                .await?;
        }
        tx.commit().await?;
    }
    let mut removal = Cookie::from(SESSION_COOKIE);
    removal.set_path("/");
    Ok((jar.remove(removal), StatusCode::NO_CONTENT))
}

pub(crate) fn session_cookie(state: &AppState, secret: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, secret))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies)
        .path("/")
        .max_age(time_days(state.settings.session_days))
        .build()
}

/// The interface language cookie the i18n layer reads, so the next page renders in the
/// user's saved language on the server already.
pub fn locale_cookie(state: &AppState, language: &str) -> Cookie<'static> {
    Cookie::build((fieldwork_app::locale::LOCALE_COOKIE, language.to_string()))
        .same_site(SameSite::Lax)
        .secure(state.settings.secure_cookies)
        .path("/")
        .max_age(time_days(365))
        .build()
}

fn time_days(days: i64) -> cookie::time::Duration {
    cookie::time::Duration::days(days)
}

/// The peer address of the request (the socket's; proxies are not trusted by default).
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".into(), |ConnectInfo(a)| a.ip().to_string());
        Ok(ClientIp(ip))
    }
}
