//! `POST /api/v1/auth/login`, `POST /api/v1/auth/logout`.

use super::{password, sessions, throttle, token, SESSION_COOKIE};
use crate::error::{ApiJson, AppError, AppResult};
use crate::{state::AppState, users};
use axum::extract::{ConnectInfo, Form, FromRequestParts, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::post;
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::CookieJar;
use fieldwork_app::common::{ErrorBody, UserId};
use fieldwork_app::users::{Language, LoginRefusal, LoginRequest, User};
use http::HeaderMap;
use std::net::SocketAddr;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login)).routes(routes!(logout))
}

/// Sign in with email and password; sets the `HttpOnly` session cookie.
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
    let (jar, user) = sign_in(&state, &ip, &headers, jar, req).await?;
    Ok((jar, axum::Json(user)))
}

/// Checks the password (throttled per account and address) and starts a session: the cookies
/// to set and who signed in. Shared by the API and the sign-in page's own form.
async fn sign_in(
    state: &AppState,
    ip: &str,
    headers: &HeaderMap,
    jar: CookieJar,
    req: LoginRequest,
) -> AppResult<(CookieJar, User)> {
    // Signing a victim's browser into the attacker's account (login CSRF) is refused too.
    if !super::ctx::same_origin_or_safe(&http::Method::POST, headers) {
        return Err(AppError::Forbidden);
    }
    let email = req.email.trim().to_lowercase();
    if throttle::record_attempt(&state.db, &email, ip, state.settings.login_max_failures).await? {
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
    let jar = jar.remove(Cookie::from(SESSION_COOKIE)).add(session_cookie(state, secret));
    let jar = jar.add(locale_cookie(state, user.language.as_str()));
    Ok((jar, user))
}

/// The sign-in page's form as a browser posts it.
#[derive(Debug, Default, serde::Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `POST /login`: the sign-in page is plain HTML (it downloads no WebAssembly, so a new phone
/// shows it at once), and its form posts here. Signed in: on to Today, which loads the app. Refused:
/// back to the sign-in page with why (`wrong`, `throttled`) and the email typed, in the address.
#[tracing::instrument(skip_all, err(level = "info"))]
async fn login_form(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> AppResult<axum::response::Response> {
    let email = form.email.trim().to_string();
    let req = LoginRequest { email: email.clone(), password: form.password };
    let reason = match sign_in(&state, &ip, &headers, jar, req).await {
        Ok((jar, _)) => return Ok((jar, Redirect::to("/")).into_response()),
        Err(AppError::Unauthenticated) => LoginRefusal::Wrong,
        Err(AppError::RateLimited { .. }) => LoginRefusal::Throttled,
        Err(e) => return Err(e),
    };
    let query =
        serde_urlencoded::to_string([("error", reason.as_str()), ("email", email.as_str())]).unwrap_or_default();
    Ok(Redirect::to(&format!("/login?{query}")).into_response())
}

/// The language form of the sign-in page.
#[derive(Debug, Default, serde::Deserialize)]
struct LanguageForm {
    #[serde(default)]
    lang: String,
}

/// `POST /login/language`: the sign-in page's language buttons without the app: the choice is
/// kept in the language cookie (the profile's language takes over at sign-in).
async fn language_form(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<LanguageForm>,
) -> impl IntoResponse {
    let language = Language::parse(&form.lang).unwrap_or_default();
    (jar.add(locale_cookie(&state, language.as_str())), Redirect::to("/login"))
}

/// The sign-in page's own routes (outside the API: they answer browsers' form posts).
pub fn page_router() -> axum::Router<AppState> {
    axum::Router::new().route("/login", post(login_form)).route("/login/language", post(language_form))
}

/// Middleware of the pages: the sign-in page asked for with a live session (the back button, a
/// bookmark) sends the user on to Today instead.
pub async fn signed_in_skips_login(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if request.method() == http::Method::GET && request.uri().path() == "/login" {
        let (parts, body) = request.into_parts();
        if let Ok(Some(_)) = super::ctx_resolve(&parts, &state).await {
            return Redirect::to("/").into_response();
        }
        return next.run(axum::extract::Request::from_parts(parts, body)).await;
    }
    next.run(request).await
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
