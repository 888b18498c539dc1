//! [`Ctx`]: the signed-in user behind a request, extracted from the session cookie or an API key.

use super::{sessions, token, SESSION_COOKIE};
use crate::db::{Db, StoreResult};
use crate::error::AppError;
use crate::scope::Scope;
use crate::{api_keys, state::AppState, users};
use axum::extract::FromRequestParts;
use axum_extra::extract::CookieJar;
use fieldwork_app::common::{ApiKeyId, UserId};
use fieldwork_app::users::{Role, User};
use http::request::Parts;
use http::{header, Method};
use std::sync::Arc;
use tokio::sync::OnceCell;

#[derive(Debug, Clone)]
pub enum AuthVia {
    Session { token_hash: String },
    ApiKey { id: ApiKeyId },
}

/// Who is asking. Every data call that reads or writes records takes one and applies scope.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub user: User,
    pub via: AuthVia,
    /// The caller's scope, worked out once per request (a manager's team is a query).
    scope: Arc<OnceCell<Scope>>,
}

impl Ctx {
    pub fn new(user: User, via: AuthVia) -> Ctx {
        Ctx { user, via, scope: Arc::default() }
    }

    /// Which records the caller may see and change (see [`Scope`]), read once per request.
    pub async fn scope(&self, db: &Db) -> StoreResult<&Scope> {
        self.scope.get_or_try_init(|| Scope::of(db, self)).await
    }

    pub fn user_id(&self) -> UserId {
        self.user.id
    }

    /// The user's time zone.
    pub fn zone(&self) -> chrono_tz::Tz {
        self.user.time_zone.tz()
    }

    /// The user's local date now: assignments and "today" lists change at local midnight.
    pub fn today(&self) -> chrono::NaiveDate {
        chrono::Utc::now().with_timezone(&self.zone()).date_naive()
    }

    pub fn role(&self) -> Role {
        self.user.role
    }

    /// Bulk work on records (import, merge): office staff, managers and admins.
    pub fn require_not_rep(&self) -> Result<(), AppError> {
        if self.role() == Role::Rep {
            Err(AppError::Forbidden)
        } else {
            Ok(())
        }
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.role().can_administer() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(ctx) = parts.extensions.get::<Ctx>() {
            return Ok(ctx.clone());
        }
        let ctx = resolve(parts, state).await?.ok_or(AppError::Unauthenticated)?;
        if matches!(ctx.via, AuthVia::Session { .. }) && !same_origin_or_safe(&parts.method, &parts.headers) {
            // A cookie rides along on cross-site requests; a change must come from our own pages.
            return Err(AppError::Forbidden);
        }
        parts.extensions.insert(ctx.clone());
        Ok(ctx)
    }
}

/// The user of the request's bearer key or session cookie, if any and still valid.
pub async fn resolve(parts: &Parts, state: &AppState) -> Result<Option<Ctx>, AppError> {
    let bearer =
        parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let Some(secret) = bearer else {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(cookie) = jar.get(SESSION_COOKIE) else { return Ok(None) };
        let token_hash = token::hash(cookie.value());
        let user = sessions::user_of(&state.db, &token_hash, state.settings.session_days).await?;
        return Ok(user.filter(|u| u.active).map(|user| Ctx::new(user, AuthVia::Session { token_hash })));
    };
    let Some((key_id, user_id)) = api_keys::store::user_of(&state.db, &token::hash(secret.trim())).await? else {
        return Ok(None);
    };
    let Some(user_id) = UserId::parse(&user_id) else { return Ok(None) };
    match users::store::by_id(&state.db, user_id).await {
        // Keys are an admin's tool: one whose owner was demoted stops working with the demotion.
        Ok(user) if user.active && user.role.can_administer() => {
            Ok(Some(Ctx::new(user, AuthVia::ApiKey { id: key_id })))
        }
        Ok(_) | Err(crate::db::StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Safe methods pass; for the others the browser's own headers must say "same origin".
pub(crate) fn same_origin_or_safe(method: &Method, headers: &http::HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let header = |name| headers.get(name).and_then(|v: &http::HeaderValue| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        return site == "same-origin" || site == "none";
    }
    match (header("origin"), header("host")) {
        (Some(origin), Some(host)) => origin.split("://").nth(1) == Some(host),
        // Neither header: not a browser (curl, scripts) — it cannot be a forged cross-site request.
        (None, _) => true,
        (Some(_), None) => false,
    }
}
