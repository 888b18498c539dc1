//! The business steps of customer feedback: a checked-out visit asks the contact for it (by
//! email, with a one-time link), and the contact answers through that link (no sign-in).

use super::{first_name, open, store, well_formed, LINK_DAYS};
use crate::audit;
use crate::db::WriteTx;
use crate::error::{AppError, AppResult};
use crate::mail::{self, Mail};
use fieldwork_app::contacts::Contact;
use fieldwork_app::feedback::FeedbackAnswer;
use fieldwork_app::users::{Language, User};
use fieldwork_app::visits::Visit;

/// Asks the visited contact for feedback, inside the check-out's transaction: when the contact
/// has an email address and agreed to email, once per visit, in the contact's language (the
/// rep's when the contact has none; English when it is not one the app speaks). Answers
/// whether an email was queued.
pub async fn request(
    tx: &mut WriteTx,
    link_base: &str,
    visit: &Visit,
    contact: &Contact,
    rep: &User,
) -> AppResult<bool> {
    let Some(email) = contact.emails.first().filter(|_| contact.consent.email) else {
        return Ok(false);
    };
    let language = match contact.language.as_deref() {
        Some(language) => Language::parse(language).unwrap_or_default(),
        None => rep.language,
    };
    let token = format!("fwf_{}", hex::encode(rand::random::<[u8; 24]>()));
    let expires_at = chrono::Utc::now() + chrono::Duration::days(LINK_DAYS);
    store::insert_request(tx, visit, contact.id, &token, expires_at, language).await?;
    let first = first_name(&contact.name);
    let url = format!("{link_base}/feedback/{token}");
    let (subject, text) = match language {
        Language::Bn => (
            format!("{} এর ভিজিট কেমন ছিল?", rep.name),
            format!(
                "প্রিয় {first},\n\n{} আজ আপনার সাথে দেখা করেছেন। এক মিনিটে জানাবেন কেমন লেগেছে?\n\n{url}\n\nলিংকটি একবার কাজ করবে, {LINK_DAYS} দিন পর্যন্ত।",
                rep.name
            ),
        ),
        Language::En => (
            format!("How was your visit with {}?", rep.name),
            format!(
                "Dear {first},\n\n{} visited you today. Would you tell us in a minute how it went?\n\n{url}\n\nThe link works once, for {LINK_DAYS} days.",
                rep.name
            ),
        ),
    };
    let mail = Mail {
        key: format!("feedback:{}", visit.id),
        kind: "feedback".into(),
        to: email.as_str().to_string(),
        subject,
        text,
        contact_id: Some(contact.id),
        campaign_id: None,
        not_before: None,
    };
    Ok(mail::enqueue(tx, &mail).await?.is_some())
}

/// Answers the survey behind the link `token` (no sign-in): a CSAT score, an NPS score or both,
/// and a comment. The link works once and not after it expires. Audited without an actor.
pub async fn answer(tx: &mut WriteTx, token: &str, body: &FeedbackAnswer) -> AppResult<()> {
    well_formed(token)?;
    let answer = body.validate().map_err(AppError::Validation)?;
    let request = store::by_token(tx.conn(), token).await?;
    open(&request)?;
    if !store::answer(tx, &request.id, &answer).await? {
        return Err(AppError::Conflict("this link was already used: thank you for your answer".into()));
    }
    let changes = serde_json::json!({"csat": answer.csat, "nps": answer.nps, "comment": answer.comment.is_some()});
    audit::record(tx, None, "feedback", &request.id, "answer", changes).await?;
    Ok(())
}
