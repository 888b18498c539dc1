//! `/api/v1/users` (admins) and `/api/v1/me` (everyone, their own profile).

use super::{actions, store};
use crate::act::Act;
use crate::auth::routes::{locale_cookie, session_cookie, ClientIp};
use crate::auth::Ctx;
use crate::error::{ApiJson, AppResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use axum_extra::extract::CookieJar;
use fieldwork_app::common::{ErrorBody, UserId};
use fieldwork_app::users::{PasswordChange, PasswordReset, User, UserForCreate, UserForUpdate};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(super::book::router())
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user))
        .routes(routes!(reset_password))
        .routes(routes!(get_me, update_me))
        .routes(routes!(change_my_password))
}

/// Every user (admins only).
#[utoipa::path(get, path = "/users", tag = "users",
    responses((status = 200, body = Vec<User>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn list_users(State(state): State<AppState>, ctx: Ctx) -> AppResult<Json<Vec<User>>> {
    ctx.require_admin()?;
    Ok(Json(store::list(&state.db).await?))
}

/// Create a user with an initial password (admins only).
#[utoipa::path(post, path = "/users", tag = "users", request_body = UserForCreate,
    responses((status = 201, body = User), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn create_user(
    State(state): State<AppState>,
    ctx: Ctx,
    ApiJson(body): ApiJson<UserForCreate>,
) -> AppResult<impl IntoResponse> {
    let user = actions::create(&Act::new(&state, &ctx), &body).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// One user (admins, or the user themself).
#[utoipa::path(get, path = "/users/{id}", tag = "users", params(("id" = String, Path)),
    responses((status = 200, body = User), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn get_user(State(state): State<AppState>, ctx: Ctx, Path(id): Path<UserId>) -> AppResult<Json<User>> {
    if id != ctx.user_id() {
        ctx.require_admin()?;
    }
    Ok(Json(store::by_id(&state.db, id).await?))
}

/// Change a user: name, email, role, manager, language, time zone, active (admins only).
/// Deactivating a user ends their sessions at once.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", params(("id" = String, Path)), request_body = UserForUpdate,
    responses((status = 200, body = User), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn update_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<UserId>,
    ApiJson(body): ApiJson<UserForUpdate>,
) -> AppResult<Json<User>> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let user = actions::edit(&act, &mut tx, id, &body).await?;
    tx.commit().await?;
    Ok(Json(user))
}

/// Set a new password for a user (admins only). Ends the user's sessions.
#[utoipa::path(post, path = "/users/{id}/password", tag = "users", params(("id" = String, Path)), request_body = PasswordReset,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn reset_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<UserId>,
    ApiJson(body): ApiJson<PasswordReset>,
) -> AppResult<StatusCode> {
    actions::reset_password(&Act::new(&state, &ctx), id, &body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user.
#[utoipa::path(get, path = "/me", tag = "users", responses((status = 200, body = User), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
async fn get_me(ctx: Ctx) -> Json<User> {
    Json(ctx.user)
}

/// Change your own name, language or time zone.
#[utoipa::path(patch, path = "/me", tag = "users", request_body = UserForUpdate,
    responses((status = 200, body = User), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn update_me(
    State(state): State<AppState>,
    ctx: Ctx,
    jar: CookieJar,
    ApiJson(body): ApiJson<UserForUpdate>,
) -> AppResult<impl IntoResponse> {
    let act = Act::new(&state, &ctx);
    let mut tx = state.db.begin_write().await?;
    let user = actions::edit_profile(&act, &mut tx, &body).await?;
    tx.commit().await?;
    let jar = jar.add(locale_cookie(&state, user.language.as_str()));
    Ok((jar, Json(user)))
}

/// Change your own password. The current one must be right (wrong guesses count towards the
/// sign-in limit); every session of yours ends, and this browser gets a new one.
#[utoipa::path(post, path = "/me/password", tag = "users", request_body = PasswordChange,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all, err(level = "info"))]
async fn change_my_password(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    headers: http::HeaderMap,
    jar: CookieJar,
    ApiJson(body): ApiJson<PasswordChange>,
) -> AppResult<impl IntoResponse> {
    let user_agent = headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok());
    let secret = actions::change_password(&Act::new(&state, &ctx), &ip, user_agent, &body).await?;
    Ok((jar.add(session_cookie(&state, secret)), StatusCode::NO_CONTENT))
}
