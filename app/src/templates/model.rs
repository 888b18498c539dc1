use crate::common::validation::required_text;
use crate::common::{ActivityId, ContactId, EmailId, FieldErrors, ListingId, TemplateId};
use serde::{Deserialize, Serialize};

/// Every placeholder a template may use, with what it holds.
pub const PLACEHOLDERS: [(&str, &str); 12] = [
    ("contact.name", "the contact's full name"),
    ("contact.first_name", "the first word of the contact's name"),
    ("contact.email", "the contact's primary email"),
    ("contact.phone", "the contact's primary phone"),
    ("contact.company", "the contact's company"),
    ("sender.name", "the user sending"),
    ("sender.email", "the sender's email"),
    ("listing.title", "the listing's title (when a listing is chosen)"),
    ("listing.reference", "the listing's reference"),
    ("listing.price", "the listing's price, formatted"),
    ("listing.address", "the listing's address"),
    ("listing.url", "the listing's public page"),
];

/// Whether a placeholder path (`contact.first_name`) is one the renderer fills.
pub fn is_placeholder(path: &str) -> bool {
    PLACEHOLDERS.iter().any(|(p, _)| *p == path)
}

/// A stored template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EmailTemplate {
    pub id: TemplateId,
    pub name: String,
    pub subject: String,
    pub body: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /api/v1/templates`, `PUT /api/v1/templates/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TemplateInput {
    pub name: String,
    pub subject: String,
    pub body: String,
}

impl TemplateInput {
    /// Lengths only; the placeholders are checked by the server's template engine.
    pub fn validate(&self) -> Result<TemplateInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", required_text(&self.name, 120));
        let subject = e.check("subject", required_text(&self.subject, 200));
        let body = e.check("body", required_text(&self.body, 20_000));
        e.into_result(|| TemplateInput {
            name: name.unwrap_or_default(),
            subject: subject.unwrap_or_default(),
            body: body.unwrap_or_default(),
        })
    }
}

/// `POST /api/v1/templates/{id}/preview` and `POST /api/v1/contacts/{id}/emails`: the record
/// the template is rendered against.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RenderRequest {
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    #[serde(default)]
    pub listing_id: Option<ListingId>,
}

/// A template filled in for one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Rendered {
    pub to: Option<String>,
    pub subject: String,
    pub body: String,
}

/// `POST /api/v1/contacts/{id}/emails`: send a template to a contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SendEmail {
    pub template_id: TemplateId,
    #[serde(default)]
    pub listing_id: Option<ListingId>,
}

/// What sending queued: the email and the activity logged on the contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EmailQueued {
    pub email_id: EmailId,
    pub activity_id: ActivityId,
    pub subject: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_known_by_path() {
        assert!(is_placeholder("contact.first_name") && is_placeholder("listing.title"));
        assert!(!is_placeholder("contact.ssn") && !is_placeholder("contact"));
    }

    #[test]
    fn a_template_needs_a_name_subject_and_body() {
        let e = TemplateInput::default().validate().unwrap_err();
        assert!(e.get("name").is_some() && e.get("subject").is_some() && e.get("body").is_some());
        let ok =
            TemplateInput { name: " Hello ".into(), subject: "Hi".into(), body: "Dear {{contact.first_name}}".into() };
        assert_eq!(ok.validate().unwrap().name, "Hello");
    }
}
