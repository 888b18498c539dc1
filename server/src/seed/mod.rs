//! Seeding: the demo agency, a company of any size, and adding users from the command line.

pub mod bulk;
pub mod demo;
mod history;
mod names;
mod rows;
pub mod scale;

use crate::auth::password;
use crate::db::Db;
use crate::users;
use anyhow::Context;
use fieldwork_app::common::TimeZone;
use fieldwork_app::users::{User, UserForCreate};

/// `fieldwork user add`: validates like the API does and stores the user, in the organisation's
/// time `zone`.
pub async fn add_user(
    db: &Db,
    zone: &TimeZone,
    email: &str,
    name: &str,
    role: &str,
    password: &str,
) -> anyhow::Result<User> {
    let form = UserForCreate {
        email: email.into(),
        name: name.into(),
        role: role.into(),
        password: password.into(),
        ..Default::default()
    };
    let new = form.validate().map_err(|errors| {
        let list: Vec<String> = errors.0.iter().map(|(f, e)| format!("{f}: {}", e.message())).collect();
        anyhow::anyhow!("invalid user: {}", list.join("; "))
    })?;
    password::hard_to_guess(&new.password, &[new.email.as_str(), &new.name])
        .map_err(|e| anyhow::anyhow!("invalid user: password: {}", e.message()))?;
    let hash = password::hash(new.password.expose().to_string()).await?;
    let mut tx = db.begin_write().await?;
    let user = users::actions::add(&mut tx, &new, zone, &hash, "cli").await.context("storing the user")?;
    tx.commit().await?;
    Ok(user)
}
