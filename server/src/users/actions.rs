//! The business steps on users. An admin creates a user, edits one and sets a new password
//! for one; everyone edits their own profile and changes their own password, and gets a new
//! secret for their calendar feed. `fieldwork user add` and the demo agency add users too.
//!
//! The steps that hash a password (create, reset, change) open their own write transaction,
//! once the slow hash is done: the hash never holds the write lock, and a wrong current
//! password still counts towards the sign-in limit (the throttle writes on its own).

use super::store;
use crate::act::Act;
use crate::auth::{password, sessions, throttle, token};
use crate::db::WriteTx;
use crate::error::{field_error, AppError, AppResult};
use crate::state::AppState;
use fieldwork_app::common::{FieldError, FieldErrors, TimeZone, UserId};
use fieldwork_app::users::{NewUser, Password, PasswordChange, PasswordReset, User, UserForCreate, UserForUpdate};

/// Creates a user with an initial password (admins only). The password must be hard to guess
/// and the manager must exist; a taken email is a conflict. Audited.
pub async fn create(act: &Act<'_>, body: &UserForCreate) -> AppResult<User> {
    let (state, ctx) = (act.state, act.ctx);
    ctx.require_admin()?;
    let new = body.validate().map_err(AppError::Validation)?;
    password::hard_to_guess(&new.password, &[new.email.as_str(), &new.name])
        .map_err(|e| AppError::invalid("password", e))?;
    if let Some(manager) = new.manager_id {
        must_exist(state, manager, "manager_id").await?;
    }
    let hash = password::hash(new.password.expose().to_string()).await?;
    let mut tx = state.db.begin_write().await?;
    let user = store::insert(&mut tx, &new, &state.settings.time_zone, &hash).await?;
    let details = serde_json::json!({"email": user.email, "role": user.role});
    crate::audit::record(&mut tx, Some(ctx.user_id()), "user", &user.id.to_string(), "create", details).await?;
    tx.commit().await?;
    Ok(user)
}

/// Adds a user made outside a request — by `fieldwork user add` or the demo agency — whose
/// password the caller has already checked (or chosen) and hashed; `zone` is the
/// organisation's, for a user without one. Audited with no actor and where it came from (`via`).
pub(crate) async fn add(
    tx: &mut WriteTx,
    new: &NewUser,
    zone: &TimeZone,
    password_hash: &str,
    via: &str,
) -> AppResult<User> {
    let user = store::insert(tx, new, zone, password_hash).await?;
    crate::audit::record(tx, None, "user", &user.id.to_string(), "create", serde_json::json!({"via": via})).await?;
    Ok(user)
}

/// Changes a user (admins only): name, email, role, manager, language, time zone, active. An
/// admin cannot deactivate or demote themself; deactivating a user ends their sessions at
/// once. Audited with the changes asked for.
pub async fn edit(act: &Act<'_>, tx: &mut WriteTx, id: UserId, body: &UserForUpdate) -> AppResult<User> {
    let ctx = act.ctx;
    ctx.require_admin()?;
    let changes = body.validate().map_err(AppError::Validation)?;
    if id == ctx.user_id() && (changes.active == Some(false) || changes.role.is_some_and(|r| !r.can_administer())) {
        return Err(AppError::Unprocessable("you cannot deactivate or demote yourself".into()));
    }
    if let Some(Some(manager)) = changes.manager_id {
        must_exist(act.state, manager, "manager_id").await?;
    }
    let user = store::update(tx, id, &changes).await?;
    if changes.active == Some(false) {
        sessions::delete_all_of(tx, id).await?;
    }
    let details = serde_json::to_value(body).unwrap_or_default();
    crate::audit::record(tx, Some(ctx.user_id()), "user", &id.to_string(), "update", details).await?;
    Ok(user)
}

/// Changes the caller's own name, language or time zone (any other field is refused). Audited.
pub async fn edit_profile(act: &Act<'_>, tx: &mut WriteTx, body: &UserForUpdate) -> AppResult<User> {
    if !body.is_profile_only() {
        return Err(AppError::Forbidden);
    }
    let changes = body.validate().map_err(AppError::Validation)?;
    let me = act.ctx.user_id();
    let user = store::update(tx, me, &changes).await?;
    let details = serde_json::to_value(body).unwrap_or_default();
    crate::audit::record(tx, Some(me), "user", &me.to_string(), "update_profile", details).await?;
    Ok(user)
}

/// Sets a new password for a user (admins only): it must be hard to guess for that user.
/// Every session of theirs ends. Audited.
pub async fn reset_password(act: &Act<'_>, id: UserId, body: &PasswordReset) -> AppResult<()> {
    let (state, ctx) = (act.state, act.ctx);
    ctx.require_admin()?;
    let new = parse_password("password", &body.password)?;
    let user = store::by_id(&state.db, id).await?;
    password::hard_to_guess(&new, &[user.email.as_str(), &user.name]).map_err(|e| AppError::invalid("password", e))?;
    let hash = password::hash(new.expose().to_string()).await?;
    let mut tx = state.db.begin_write().await?;
    store::set_password(&mut tx, id, &hash).await?;
    sessions::delete_all_of(&mut tx, id).await?;
    crate::audit::record(
        &mut tx,
        Some(ctx.user_id()),
        "user",
        &id.to_string(),
        "reset_password",
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the caller's own password. The current one must be right, and a wrong guess counts
/// towards the sign-in limit for the account and `ip`; every session of theirs ends and a new
/// one starts (for the browser at hand, `user_agent`). Audited; answers the new session's
/// secret.
pub async fn change_password(
    act: &Act<'_>,
    ip: &str,
    user_agent: Option<&str>,
    body: &PasswordChange,
) -> AppResult<String> {
    let (state, ctx) = (act.state, act.ctx);
    let new = parse_password("new_password", &body.new_password)?;
    let email = ctx.user.email.as_str();
    password::hard_to_guess(&new, &[email, &ctx.user.name]).map_err(|e| AppError::invalid("new_password", e))?;
    if throttle::record_attempt(&state.db, email, ip, state.settings.login_max_failures).await? {
        return Err(AppError::RateLimited { retry_after_s: 900 });
    }
    let stored = store::by_email_with_hash(&state.db, email).await?.map(|(_, hash)| hash);
    if !password::verify(body.current_password.clone(), stored).await {
        let reason = "is not your current password".to_string();
        return Err(AppError::invalid("current_password", FieldError::Invalid { reason }));
    }
    throttle::clear(&state.db, email).await?;
    let hash = password::hash(new.expose().to_string()).await?;
    let me = ctx.user_id();
    let mut tx = state.db.begin_write().await?;
    store::set_password(&mut tx, me, &hash).await?;
    sessions::delete_all_of(&mut tx, me).await?;
    let secret = sessions::create(&mut tx, me, state.settings.session_days, user_agent).await?;
    crate::audit::record(&mut tx, Some(me), "user", &me.to_string(), "change_password", serde_json::json!({"ip": ip}))
        .await?;
    tx.commit().await?;
    Ok(secret)
}

/// Gives the caller a new calendar-feed secret: the old feed URL stops working at once.
/// Audited; returns the new secret.
pub async fn rotate_calendar_feed(act: &Act<'_>, tx: &mut WriteTx) -> AppResult<String> {
    let me = act.ctx.user_id();
    let secret = token::generate("fwc_");
    store::set_calendar_token(tx, me, &secret).await?;
    crate::audit::record(tx, Some(me), "user", &me.to_string(), "calendar_feed_rotate", serde_json::json!({})).await?;
    Ok(secret)
}

/// A new password that meets the policy, or a 400 on `field`.
fn parse_password(field: &str, raw: &str) -> AppResult<Password> {
    let mut errors = FieldErrors::new();
    let new = errors.check(field, Password::parse(raw));
    errors.into_result(|| new).map_err(AppError::Validation)?.ok_or(AppError::NotFound)
}

/// A user the request links to by `field` exists (else a 400 on that field).
async fn must_exist(state: &AppState, id: UserId, field: &str) -> AppResult<()> {
    store::by_id(&state.db, id).await.map(|_| ()).map_err(|e| field_error(e, field))
}
