//! SQL for users. The password hash stays in this file and the login path.

use crate::db::{from_ms, now_ms, parse_col, parse_id, parse_opt_id, Db, StoreError, StoreResult, WriteTx};
use fieldwork_app::common::{Email, TimeZone, UserId};
use fieldwork_app::users::{Language, NewUser, Role, User, UserChanges};

const COLUMNS: &str = "id, email, name, role, manager_id, language, time_zone, active, version, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    email: String,
    name: String,
    role: String,
    manager_id: Option<String>,
    language: String,
    time_zone: String,
    active: i64,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> StoreResult<User> {
        Ok(User {
            id: parse_id(&r.id, "users.id")?,
            email: parse_col(Email::parse(&r.email), "users.email")?,
            name: r.name,
            role: parse_col(Role::parse(&r.role), "users.role")?,
            manager_id: parse_opt_id(r.manager_id.as_deref(), "users.manager_id")?,
            language: Language::parse(&r.language).unwrap_or_default(),
            time_zone: parse_col(TimeZone::parse(&r.time_zone), "users.time_zone")?,
            active: r.active != 0,
            version: r.version,
            created_at: from_ms(r.created_at),
            updated_at: from_ms(r.updated_at),
        })
    }
}

/// Stores a new user in `zone` (their own, or the organisation's when they gave none).
pub(super) async fn insert(
    tx: &mut WriteTx,
    user: &NewUser,
    zone: &TimeZone,
    password_hash: &str,
) -> StoreResult<User> {
    let id = UserId::new();
    let version = tx.next_version().await?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO users (id, email, name, role, manager_id, language, time_zone, password_hash, active, \
         created_at, updated_at, version, deleted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9, $10, 0)",
    )
    .bind(id.to_string())
    .bind(user.email.as_str())
    .bind(&user.name)
    .bind(user.role.as_str())
    .bind(user.manager_id.map(|m| m.to_string()))
    .bind(user.language.as_str())
    .bind(user.time_zone.as_ref().unwrap_or(zone).as_str())
    .bind(password_hash)
    .bind(now)
    .bind(version)
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::unique(e, "a user with this email already exists"))?;
    by_id_in(tx, id).await
}

/// The user of the live session whose token hashes to `token_hash`, with when the session
/// was last used: one read for every signed-in request.
pub async fn by_session(db: &Db, token_hash: &str, now: i64) -> StoreResult<Option<(User, i64)>> {
    #[derive(sqlx::FromRow)]
    struct SessionRow {
        #[sqlx(flatten)]
        user: UserRow,
        last_seen_at: i64,
    }
    // The session is a derived table of its two columns, so the user's columns need no prefix.
    let sql = format!(
        "SELECT {COLUMNS}, last_seen_at FROM users JOIN (SELECT user_id, last_seen_at FROM sessions \
         WHERE token_hash = $1 AND expires_at > $2) s ON s.user_id = users.id WHERE deleted = 0"
    );
    let row: Option<SessionRow> = sqlx::query_as(&sql).bind(token_hash).bind(now).fetch_optional(db.pool()).await?;
    row.map(|r| Ok((r.user.try_into()?, r.last_seen_at))).transpose()
}

pub async fn by_id(db: &Db, id: UserId) -> StoreResult<User> {
    fetch_by_id(db.pool(), id).await
}

async fn by_id_in(tx: &mut WriteTx, id: UserId) -> StoreResult<User> {
    fetch_by_id(tx.conn(), id).await
}

async fn fetch_by_id<'e>(exec: impl sqlx::Executor<'e, Database = sqlx::Any>, id: UserId) -> StoreResult<User> {
    let row: Option<UserRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1 AND deleted = 0"))
        .bind(id.to_string())
        .fetch_optional(exec)
        .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}

/// For sign-in only: the user and their password hash.
pub async fn by_email_with_hash(db: &Db, email: &str) -> StoreResult<Option<(User, String)>> {
    #[derive(sqlx::FromRow)]
    struct WithHash {
        #[sqlx(flatten)]
        user: UserRow,
        password_hash: String,
    }
    let row: Option<WithHash> =
        sqlx::query_as(&format!("SELECT {COLUMNS}, password_hash FROM users WHERE email = $1 AND deleted = 0"))
            .bind(email)
            .fetch_optional(db.pool())
            .await?;
    row.map(|r| Ok((r.user.try_into()?, r.password_hash))).transpose()
}

/// Every user, by name. Only admins list users (see the route).
pub async fn list(db: &Db) -> StoreResult<Vec<User>> {
    let rows: Vec<UserRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE deleted = 0 ORDER BY name, id"))
            .fetch_all(db.pool())
            .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

pub async fn count(db: &Db) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(db.pool()).await?)
}

/// Applies the present fields and bumps the version; returns the user as stored.
pub(super) async fn update(tx: &mut WriteTx, id: UserId, changes: &UserChanges) -> StoreResult<User> {
    // The version first: it locks the change sequence, so the row read below cannot be
    // overwritten by a concurrent update that committed in between (a lost update).
    let version = tx.next_version().await?;
    let current = by_id_in(tx, id).await?;
    let manager_id = changes.manager_id.unwrap_or(current.manager_id);
    if manager_id == Some(id) {
        let mut fields = fieldwork_app::common::FieldErrors::new();
        fields.add("manager_id", fieldwork_app::common::FieldError::NotAllowed);
        return Err(StoreError::Invalid(fields));
    }
    sqlx::query(
        "UPDATE users SET email = $2, name = $3, role = $4, manager_id = $5, language = $6, time_zone = $7, \
         active = $8, updated_at = $9, version = $10 WHERE id = $1",
    )
    .bind(id.to_string())
    .bind(changes.email.as_ref().unwrap_or(&current.email).as_str())
    .bind(changes.name.as_ref().unwrap_or(&current.name))
    .bind(changes.role.unwrap_or(current.role).as_str())
    .bind(manager_id.map(|m| m.to_string()))
    .bind(changes.language.unwrap_or(current.language).as_str())
    .bind(changes.time_zone.as_ref().unwrap_or(&current.time_zone).as_str())
    .bind(i64::from(changes.active.unwrap_or(current.active)))
    .bind(now_ms())
    .bind(version)
    .execute(tx.conn())
    .await
    .map_err(|e| StoreError::unique(e, "a user with this email already exists"))?;
    by_id_in(tx, id).await
}

pub(super) async fn set_password(tx: &mut WriteTx, id: UserId, password_hash: &str) -> StoreResult<()> {
    let version = tx.next_version().await?;
    let done =
        sqlx::query("UPDATE users SET password_hash = $2, updated_at = $3, version = $4 WHERE id = $1 AND deleted = 0")
            .bind(id.to_string())
            .bind(password_hash)
            .bind(now_ms())
            .bind(version)
            .execute(tx.conn())
            .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The ids of the users whose manager is `manager` (their team).
pub async fn team_of(db: &Db, manager: UserId) -> StoreResult<Vec<UserId>> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM users WHERE manager_id = $1 AND deleted = 0")
        .bind(manager.to_string())
        .fetch_all(db.pool())
        .await?;
    ids.iter().map(|i| parse_id(i, "users.id")).collect()
}

/// The secret of the user's calendar feed, if they have asked for one.
pub async fn calendar_token(db: &Db, id: UserId) -> StoreResult<Option<String>> {
    let token: Option<Option<String>> =
        sqlx::query_scalar("SELECT calendar_token FROM users WHERE id = $1 AND deleted = 0")
            .bind(id.to_string())
            .fetch_optional(db.pool())
            .await?;
    Ok(token.flatten())
}

/// Sets (or replaces: the old feed URL stops working) the user's calendar feed secret.
pub(super) async fn set_calendar_token(tx: &mut WriteTx, id: UserId, token: &str) -> StoreResult<()> {
    sqlx::query("UPDATE users SET calendar_token = $2, updated_at = $3 WHERE id = $1 AND deleted = 0")
        .bind(id.to_string())
        .bind(token)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// The active user a calendar feed secret belongs to.
pub async fn by_calendar_token(db: &Db, token: &str) -> StoreResult<User> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users WHERE calendar_token = $1 AND deleted = 0 AND active = 1"
    ))
    .bind(token)
    .fetch_optional(db.pool())
    .await?;
    row.ok_or(StoreError::NotFound)?.try_into()
}
