//! `/api/v1/users` (admins) and `/api/v1/me` (everyone, their own profile).

use super::store;
use crate::auth::routes::{locale_cookie, session_cookie, ClientIp};
use crate::auth::{password, sessions, throttle, Ctx};
use crate::error::{ApiJson, AppError, AppResult};
use crate::{audit, state::AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use axum_extra::extract::CookieJar;
use fieldwork_app::common::{ErrorBody, FieldError, FieldErrors, UserId};
use fieldwork_app::users::{Password, PasswordChange, PasswordReset, User, UserForCreate, UserForUpdate};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
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
    ctx.require_admin()?;
    let new = body.validate().map_err(AppError::Validation)?;
    password::hard_to_guess(&new.password, &[new.email.as_str(), &new.name])
        .map_err(|e| AppError::invalid("password", e))?;
    if let Some(manager) = new.manager_id {
        ensure_user_exists(&state, manager, "manager_id").await?;
    }
    let hash = password::hash(new.password.expose().to_string()).await?;
    let mut tx = state.db.begin_write().await?;
    let user = store::insert(&mut tx, &new, &hash).await?;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "user",
        &user.id.to_string(),
        "create",
        serde_json::json!({"email": user.email, "role": user.role}),
    )
    .await?;
    tx.commit().await?;
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
    ctx.require_admin()?;
    let changes = body.validate().map_err(AppError::Validation)?;
    if id == ctx.user_id() && (changes.active == Some(false) || changes.role.is_some_and(|r| !r.can_administer())) {
        return Err(AppError::Unprocessable("you cannot deactivate or demote yourself".into()));
    }
    if let Some(Some(manager)) = changes.manager_id {
        ensure_user_exists(&state, manager, "manager_id").await?;
    }
    let mut tx = state.db.begin_write().await?;
    let user = store::update(&mut tx, id, &changes).await?;
    if changes.active == Some(false) {
        sessions::delete_all_of(&mut tx, id).await?;
    }
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "user",
        &id.to_string(),
        "update",
        serde_json::to_value(&body).unwrap_or_default(),
    )
    .await?;
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
    ctx.require_admin()?;
    let mut errors = FieldErrors::new();
    let new = errors.check("password", Password::parse(&body.password));
    let new = errors.into_result(|| new).map_err(AppError::Validation)?.ok_or(AppError::NotFound)?;
    let user = store::by_id(&state.db, id).await?;
    password::hard_to_guess(&new, &[user.email.as_str(), &user.name]).map_err(|e| AppError::invalid("password", e))?;
    let hash = password::hash(new.expose().to_string()).await?;
    let mut tx = state.db.begin_write().await?;
    store::set_password(&mut tx, id, &hash).await?;
    sessions::delete_all_of(&mut tx, id).await?;
    audit::record(&mut tx, Some(ctx.user_id()), "user", &id.to_string(), "reset_password", serde_json::json!({}))
        .await?;
    tx.commit().await?;
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
    if !body.is_profile_only() {
        return Err(AppError::Forbidden);
    }
    let changes = body.validate().map_err(AppError::Validation)?;
    let mut tx = state.db.begin_write().await?;
    let user = store::update(&mut tx, ctx.user_id(), &changes).await?;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "user",
        &ctx.user_id().to_string(),
        "update_profile",
        serde_json::to_value(&body).unwrap_or_default(),
    )
    .await?;
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
    let mut errors = FieldErrors::new();
    let new = errors.check("new_password", Password::parse(&body.new_password));
    let new = errors.into_result(|| new).map_err(AppError::Validation)?.ok_or(AppError::NotFound)?;
    let email = ctx.user.email.as_str();
    password::hard_to_guess(&new, &[email, &ctx.user.name]).map_err(|e| AppError::invalid("new_password", e))?;
    if throttle::record_attempt(&state.db, email, &ip, state.settings.login_max_failures).await? {
        return Err(AppError::RateLimited { retry_after_s: 900 });
    }
    let stored = store::by_email_with_hash(&state.db, email).await?.map(|(_, hash)| hash);
    if !password::verify(body.current_password.clone(), stored).await {
        let reason = "is not your current password".to_string();
        return Err(AppError::invalid("current_password", FieldError::Invalid { reason }));
    }
    throttle::clear(&state.db, email).await?;
    let hash = password::hash(new.expose().to_string()).await?;
    let user_agent = headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok());
    let mut tx = state.db.begin_write().await?;
    store::set_password(&mut tx, ctx.user_id(), &hash).await?;
    sessions::delete_all_of(&mut tx, ctx.user_id()).await?;
    let secret = sessions::create(&mut tx, ctx.user_id(), state.settings.session_days, user_agent).await?;
    audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "user",
        &ctx.user_id().to_string(),
        "change_password",
        serde_json::json!({"ip": ip}),
    )
    .await?;
    tx.commit().await?;
    Ok((jar.add(session_cookie(&state, secret)), StatusCode::NO_CONTENT))
}

async fn ensure_user_exists(state: &AppState, id: UserId, field: &str) -> AppResult<()> {
    store::by_id(&state.db, id).await.map(|_| ()).map_err(|e| crate::error::field_error(e, field))
}
