//! Notifications: what the app tells a user without being asked — in the app (the inbox with
//! its unread count) and, unless the user turned that kind off, by email through the outbox.
//! [`notify`] is called inside the transaction of the change that caused the news, so the
//! notification exists exactly when the change does. [`jobs`] finds what time makes due
//! (reminders, the 07:00 agenda).

pub mod jobs;
pub mod routes;
pub mod store;
pub mod texts;

use crate::db::{now_ms, StoreResult, WriteTx};
use crate::mail::{self, Mail};
use fieldwork_app::users::User;
pub use texts::Notice;

/// Tells `user` about `notice` once per `key`: an in-app notification (not for the agenda,
/// which is an email digest) and an email when the user wants that kind by email. Answers
/// whether the notice was new (false: it was given before under this key).
pub async fn notify(tx: &mut WriteTx, link_base: &str, user: &User, notice: &Notice, key: &str) -> StoreResult<bool> {
    let fresh =
        sqlx::query("INSERT INTO notices_given (key, user_id, at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(user.id.to_string())
            .bind(now_ms())
            .execute(tx.conn())
            .await?
            .rows_affected()
            == 1;
    if !fresh || !user.active {
        return Ok(fresh);
    }
    let zone = user.time_zone.tz();
    let words = notice.words(user.language, zone);
    let kind = notice.kind();
    if kind != fieldwork_app::notifications::NotificationKind::Agenda {
        let note = store::Note {
            user: user.id,
            kind: kind.as_str(),
            title: words.title.clone(),
            body: words.body.clone(),
            link: Some(words.link.clone()),
        };
        store::insert(tx, &note).await?;
    }
    if store::wants_email(tx, user.id, kind).await? {
        let mail = Mail {
            key: key.to_string(),
            kind: kind.as_str().to_string(),
            to: user.email.as_str().to_string(),
            subject: words.title,
            text: format!("{}\n\n{}{}\n\n—\nFieldwork · {}/more", words.body, link_base, words.link, link_base),
            contact_id: None,
            campaign_id: None,
            not_before: None,
        };
        mail::enqueue(tx, &mail).await?;
    }
    Ok(true)
}
