//! SQL for notifications. A user only ever reads their own.

use crate::db::{from_ms, now_ms, parse_id, Db, StoreResult, WriteTx};
use fieldwork_app::common::UserId;
use fieldwork_app::notifications::{EmailSetting, Inbox, Notification, NotificationKind};

/// How many notifications the inbox shows.
const INBOX_SIZE: i64 = 50;

/// A notification to write.
pub struct Note<'a> {
    pub user: UserId,
    pub kind: &'a str,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
}

pub async fn insert(tx: &mut WriteTx, note: &Note<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO notifications (id, user_id, kind, title, body, link, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(note.user.to_string())
    .bind(note.kind)
    .bind(&note.title)
    .bind(&note.body)
    .bind(note.link.clone())
    .bind(now_ms())
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The user's latest notifications, newest first, and the number unread.
pub async fn inbox(db: &Db, user: UserId) -> StoreResult<Inbox> {
    type Row = (String, String, String, String, Option<String>, i64, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, kind, title, body, link, created_at, read_at FROM notifications WHERE user_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT $2",
    )
    .bind(user.to_string())
    .bind(INBOX_SIZE)
    .fetch_all(db.pool())
    .await?;
    let unread: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user.to_string())
        .fetch_one(db.pool())
        .await?;
    let items = rows
        .into_iter()
        .map(|(id, kind, title, body, link, created_at, read_at)| {
            Ok(Notification {
                id: parse_id(&id, "notifications.id")?,
                kind,
                title,
                body,
                link,
                created_at: from_ms(created_at),
                read: read_at.is_some(),
            })
        })
        .collect::<StoreResult<_>>()?;
    Ok(Inbox { items, unread })
}

pub async fn mark_all_read(tx: &mut WriteTx, user: UserId) -> StoreResult<()> {
    sqlx::query("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
        .bind(user.to_string())
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Whether `user` gets `kind` by email (yes unless they turned it off).
pub async fn wants_email(tx: &mut WriteTx, user: UserId, kind: NotificationKind) -> StoreResult<bool> {
    let off: Option<i64> = sqlx::query_scalar("SELECT email FROM notification_prefs WHERE user_id = $1 AND kind = $2")
        .bind(user.to_string())
        .bind(kind.as_str())
        .fetch_optional(tx.conn())
        .await?;
    Ok(off != Some(0))
}

/// The user's email setting for every kind.
pub async fn email_settings(db: &Db, user: UserId) -> StoreResult<Vec<EmailSetting>> {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT kind, email FROM notification_prefs WHERE user_id = $1")
        .bind(user.to_string())
        .fetch_all(db.pool())
        .await?;
    Ok(NotificationKind::ALL
        .into_iter()
        .map(|kind| EmailSetting {
            kind,
            email: rows.iter().find(|(k, _)| k == kind.as_str()).is_none_or(|(_, on)| *on != 0),
        })
        .collect())
}

/// Saves the given settings (kinds not listed keep theirs).
pub async fn save_email_settings(tx: &mut WriteTx, user: UserId, settings: &[EmailSetting]) -> StoreResult<()> {
    for s in settings {
        sqlx::query(
            "INSERT INTO notification_prefs (user_id, kind, email) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, kind) DO UPDATE SET email = excluded.email",
        )
        .bind(user.to_string())
        .bind(s.kind.as_str())
        .bind(i64::from(s.email))
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}
