//! Typed calls for sign-in, the profile and user administration.

use super::{LoginRequest, PasswordChange, PasswordReset, User, UserForCreate, UserForUpdate};
use crate::client::{self, Method};
use crate::common::{ApiError, UserId};

pub async fn login(email: String, password: String) -> Result<User, ApiError> {
    client::send(Method::Post, "/auth/login", &LoginRequest { email, password }).await
}

pub async fn logout() -> Result<(), ApiError> {
    client::send_empty::<()>(Method::Post, "/auth/logout", None).await
}

pub async fn me() -> Result<User, ApiError> {
    client::get("/me").await
}

pub async fn update_me(changes: UserForUpdate) -> Result<User, ApiError> {
    client::send(Method::Patch, "/me", &changes).await
}

/// Changes the signed-in user's password; their other sessions end.
pub async fn change_password(current_password: String, new_password: String) -> Result<(), ApiError> {
    client::send_empty(Method::Post, "/me/password", Some(&PasswordChange { current_password, new_password })).await
}

pub async fn list() -> Result<Vec<User>, ApiError> {
    client::get("/users").await
}

pub async fn create(user: UserForCreate) -> Result<User, ApiError> {
    client::send(Method::Post, "/users", &user).await
}

pub async fn update(id: UserId, changes: UserForUpdate) -> Result<User, ApiError> {
    client::send(Method::Patch, &format!("/users/{id}"), &changes).await
}

pub async fn reset_password(id: UserId, password: String) -> Result<(), ApiError> {
    client::send_empty(Method::Post, &format!("/users/{id}/password"), Some(&PasswordReset { password })).await
}

/// How much a rep holds (contacts, open deals, follow-ups, coming appointments).
pub async fn book(id: UserId) -> Result<super::book::Book, ApiError> {
    client::get(&format!("/users/{id}/book")).await
}

/// Moves all a rep holds to the reps `to`, split by territory.
pub async fn move_book(id: UserId, to: Vec<UserId>) -> Result<super::book::BookMoved, ApiError> {
    client::send(Method::Post, &format!("/users/{id}/book/move"), &super::book::BookMove { to }).await
}
