//! Customer feedback: after a visit is checked out, the contact gets a one-time link (no
//! sign-in) to a tiny survey — CSAT (1–5), NPS (0–10) and a comment — in their language.
//! Only the link's hash is stored; a link works once and expires.

pub mod routes;
pub mod store;

use crate::db::{StoreResult, WriteTx};
use crate::mail::{self, Mail};
use fieldwork_app::contacts::Contact;
use fieldwork_app::visits::Visit;

/// How long a feedback link works.
pub const LINK_DAYS: i64 = 14;

/// Asks the visited contact for feedback, inside the check-out's transaction: when the contact
/// has an email address and agreed to email. Once per visit.
pub async fn request(
    tx: &mut WriteTx,
    link_base: &str,
    visit: &Visit,
    contact: &Contact,
    rep: &fieldwork_app::users::User,
) -> StoreResult<bool> {
    let Some(email) = contact.emails.first().filter(|_| contact.consent.email) else {
        return Ok(false);
    };
    let language = contact.language.clone().unwrap_or_else(|| rep.language.as_str().to_string());
    let token = format!("fwf_{}", hex::encode(rand::random::<[u8; 24]>()));
    let expires_at = chrono::Utc::now() + chrono::Duration::days(LINK_DAYS);
    store::insert_request(tx, visit, contact.id, &token, expires_at, &language).await?;
    let first = first_name(&contact.name);
    let url = format!("{link_base}/feedback/{token}");
    let (subject, text) = if language == "bn" {
        (
            format!("{} এর ভিজিট কেমন ছিল?", rep.name),
            format!(
                "প্রিয় {first},\n\n{} আজ আপনার সাথে দেখা করেছেন। এক মিনিটে জানাবেন কেমন লেগেছে?\n\n{url}\n\nলিংকটি একবার কাজ করবে, {LINK_DAYS} দিন পর্যন্ত।",
                rep.name
            ),
        )
    } else {
        (
            format!("How was your visit with {}?", rep.name),
            format!(
                "Dear {first},\n\n{} visited you today. Would you tell us in a minute how it went?\n\n{url}\n\nThe link works once, for {LINK_DAYS} days.",
                rep.name
            ),
        )
    };
    let mail = Mail {
        key: format!("feedback:{}", visit.id),
        kind: "feedback".into(),
        to: email.as_str().to_string(),
        subject,
        text,
        contact_id: Some(contact.id),
        not_before: None,
    };
    Ok(mail::enqueue(tx, &mail).await?.is_some())
}

/// The first word of a name, for a greeting.
pub fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_string()
}
