use crate::common::validation::{optional_text, required_text};
use crate::common::{Email, FieldError, FieldErrors, FormId, Phone, TerritoryId, UserId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A field a lead-capture form can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FormField {
    Name,
    Email,
    Phone,
    Company,
    Address,
    Message,
}

impl FormField {
    pub const ALL: [FormField; 6] = [
        FormField::Name,
        FormField::Email,
        FormField::Phone,
        FormField::Company,
        FormField::Address,
        FormField::Message,
    ];

    /// The input's `name` in the posted form.
    pub fn as_str(self) -> &'static str {
        match self {
            FormField::Name => "name",
            FormField::Email => "email",
            FormField::Phone => "phone",
            FormField::Company => "company",
            FormField::Address => "address",
            FormField::Message => "message",
        }
    }

    pub fn parse(raw: &str) -> Option<FormField> {
        FormField::ALL.into_iter().find(|f| f.as_str() == raw)
    }

    /// The label of the embeddable snippet (the website's visitors read it; English by default,
    /// the admin edits the snippet to taste).
    pub fn label(self) -> &'static str {
        match self {
            FormField::Name => "Your name",
            FormField::Email => "Email",
            FormField::Phone => "Phone",
            FormField::Company => "Company",
            FormField::Address => "Address",
            FormField::Message => "Message",
        }
    }

    fn max_len(self) -> usize {
        match self {
            FormField::Message => 4000,
            FormField::Address => 500,
            _ => 200,
        }
    }
}

/// The hidden field a person never fills in and a spam bot does.
pub const HONEYPOT: &str = "website";

/// A lead-capture form as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LeadForm {
    pub id: FormId,
    pub name: String,
    /// The fields asked for, in order.
    pub fields: Vec<FormField>,
    /// The fields that must be filled in (a subset of `fields`).
    pub required: Vec<FormField>,
    /// New leads land in this territory…
    pub territory_id: Option<TerritoryId>,
    /// …and are owned by this user (who is told about each one).
    pub owner_id: Option<UserId>,
    /// What the visitor reads after sending.
    pub thank_you: String,
    /// How many submissions it has taken.
    pub submissions: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// `POST /api/v1/forms` (admin).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LeadFormInput {
    pub name: String,
    /// Default: name, email, phone, message.
    #[serde(default)]
    pub fields: Option<Vec<String>>,
    /// Default: name.
    #[serde(default)]
    pub required: Option<Vec<String>>,
    #[serde(default)]
    pub territory_id: Option<TerritoryId>,
    #[serde(default)]
    pub owner_id: Option<UserId>,
    #[serde(default)]
    pub thank_you: Option<String>,
}

/// A [`LeadFormInput`] whose every field parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLeadForm {
    pub name: String,
    pub fields: Vec<FormField>,
    pub required: Vec<FormField>,
    pub territory_id: Option<TerritoryId>,
    pub owner_id: Option<UserId>,
    pub thank_you: String,
}

pub const DEFAULT_THANK_YOU: &str = "Thank you — we will be in touch soon.";

fn parse_fields(e: &mut FieldErrors, field: &str, raw: &[String]) -> Vec<FormField> {
    let mut out = Vec::new();
    for (i, name) in raw.iter().enumerate() {
        match FormField::parse(name.trim()) {
            Some(f) if !out.contains(&f) => out.push(f),
            Some(_) => e.add(&format!("{field}.{i}"), FieldError::Taken),
            None => e.add(&format!("{field}.{i}"), FieldError::NotAllowed),
        }
    }
    out
}

impl LeadFormInput {
    /// A form asks for a name and a way to reach the person (email or phone); what it
    /// requires it also asks for.
    pub fn validate(&self) -> Result<NewLeadForm, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", required_text(&self.name, 120));
        let fields = match &self.fields {
            Some(raw) => parse_fields(&mut e, "fields", raw),
            None => vec![FormField::Name, FormField::Email, FormField::Phone, FormField::Message],
        };
        let required = match &self.required {
            Some(raw) => parse_fields(&mut e, "required", raw),
            None => vec![FormField::Name],
        };
        if !fields.contains(&FormField::Name) {
            e.add("fields", FieldError::Invalid { reason: "a form must ask for the name".into() });
        } else if !fields.contains(&FormField::Email) && !fields.contains(&FormField::Phone) {
            e.add("fields", FieldError::Invalid { reason: "a form must ask for an email or a phone".into() });
        }
        if let Some(f) = required.iter().find(|f| !fields.contains(f)) {
            e.add("required", FieldError::Invalid { reason: format!("{} is required but not asked for", f.as_str()) });
        }
        let thank_you = e.check("thank_you", optional_text(self.thank_you.as_deref().unwrap_or(""), 500));
        e.into_result(|| NewLeadForm {
            name: name.unwrap_or_default(),
            fields,
            required,
            territory_id: self.territory_id,
            owner_id: self.owner_id,
            thank_you: thank_you.flatten().unwrap_or_else(|| DEFAULT_THANK_YOU.into()),
        })
    }
}

/// A visitor's submission, checked against the form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Submission {
    pub name: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub company: Option<String>,
    pub address: Option<String>,
    pub message: Option<String>,
}

impl Submission {
    /// Checks posted values (form-encoded or JSON, as text) against the form: required fields
    /// present, email and phone well-formed, lengths bounded. Fields the form does not ask
    /// for are ignored. The name falls back to the email or the phone when the form does not
    /// require it.
    pub fn parse(form: &LeadForm, values: &BTreeMap<String, String>) -> Result<Submission, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut s = Submission::default();
        for &field in &form.fields {
            let raw = values.get(field.as_str()).map_or("", |v| v.trim());
            if raw.is_empty() {
                if form.required.contains(&field) {
                    e.add(field.as_str(), FieldError::Required);
                }
                continue;
            }
            match field {
                FormField::Email => s.email = e.check("email", Email::parse(raw)),
                FormField::Phone => s.phone = e.check("phone", Phone::parse(raw)),
                _ => {
                    let text = e.check(field.as_str(), required_text(raw, field.max_len()));
                    match field {
                        FormField::Name => s.name = text,
                        FormField::Company => s.company = text,
                        FormField::Address => s.address = text,
                        _ => s.message = text,
                    }
                }
            }
        }
        if s.email.is_none() && s.phone.is_none() && e.is_empty() {
            let field = if form.fields.contains(&FormField::Email) { "email" } else { "phone" };
            e.add(field, FieldError::Required);
        }
        e.into_result(|| s)
    }

    /// The lead's name: what was typed, else the email or phone.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .or_else(|| self.email.as_ref().map(|m| m.as_str().to_string()))
            .or_else(|| self.phone.as_ref().map(|p| p.as_str().to_string()))
            .unwrap_or_default()
    }

    /// The submission as the lines logged on the lead's timeline.
    pub fn summary(&self) -> String {
        let mut lines = Vec::new();
        let mut push = |label: &str, v: Option<&str>| {
            if let Some(v) = v {
                lines.push(format!("{label}: {v}"));
            }
        };
        push("Name", self.name.as_deref());
        push("Email", self.email.as_ref().map(crate::common::Email::as_str));
        push("Phone", self.phone.as_ref().map(crate::common::Phone::as_str));
        push("Company", self.company.as_deref());
        push("Address", self.address.as_deref());
        push("Message", self.message.as_deref());
        lines.join("\n")
    }
}

/// Escapes text for an HTML attribute or element.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The HTML an admin pastes into the company's website: a plain form that posts to the
/// public endpoint (no script, no cookie), with the honeypot hidden from people.
pub fn embed_snippet(form: &LeadForm, base_url: &str) -> String {
    let action = format!("{}/api/v1/forms/{}/submissions", base_url.trim_end_matches('/'), form.id);
    let mut html = format!(
        "<form method=\"post\" action=\"{}\" class=\"fieldwork-form\" accept-charset=\"utf-8\">\n",
        escape(&action)
    );
    for &field in &form.fields {
        let required = if form.required.contains(&field) { " required" } else { "" };
        let input = match field {
            FormField::Message => format!("<textarea name=\"message\" rows=\"4\"{required}></textarea>"),
            FormField::Email => format!("<input type=\"email\" name=\"email\" autocomplete=\"email\"{required}>"),
            FormField::Phone => format!("<input type=\"tel\" name=\"phone\" autocomplete=\"tel\"{required}>"),
            FormField::Name => format!("<input type=\"text\" name=\"name\" autocomplete=\"name\"{required}>"),
            other => format!("<input type=\"text\" name=\"{}\"{required}>", other.as_str()),
        };
        let _ = writeln!(html, "  <label>{}<br>{input}</label><br>", field.label());
    }
    let _ = writeln!(html, "  <div style=\"position:absolute;left:-10000px\" aria-hidden=\"true\"><input type=\"text\" name=\"{HONEYPOT}\" tabindex=\"-1\" autocomplete=\"off\"></div>");
    html.push_str("  <button type=\"submit\">Send</button>\n</form>\n");
    html
}

/// `POST /api/v1/forms/{id}/submissions` answers this (JSON); a plain HTML post gets a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SubmissionAccepted {
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(fields: &[FormField], required: &[FormField]) -> LeadForm {
        LeadForm {
            id: FormId::new(),
            name: "Website".into(),
            fields: fields.to_vec(),
            required: required.to_vec(),
            territory_id: None,
            owner_id: None,
            thank_you: DEFAULT_THANK_YOU.into(),
            submissions: 0,
            created_at: chrono::Utc::now(),
        }
    }

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_form_asks_for_a_name_and_a_way_to_reach_the_lead() {
        let ok = LeadFormInput { name: "Website".into(), ..Default::default() }.validate().unwrap();
        assert_eq!(ok.fields, vec![FormField::Name, FormField::Email, FormField::Phone, FormField::Message]);
        assert_eq!(ok.required, vec![FormField::Name]);
        assert_eq!(ok.thank_you, DEFAULT_THANK_YOU);
        let no_contact = LeadFormInput {
            name: "x".into(),
            fields: Some(vec!["name".into(), "message".into()]),
            ..Default::default()
        };
        assert!(matches!(no_contact.validate().unwrap_err().get("fields"), Some(FieldError::Invalid { .. })));
        let unknown = LeadFormInput {
            name: "x".into(),
            fields: Some(vec!["name".into(), "email".into(), "ssn".into()]),
            required: Some(vec!["phone".into()]),
            ..Default::default()
        };
        let e = unknown.validate().unwrap_err();
        assert_eq!(e.get("fields.2"), Some(&FieldError::NotAllowed));
        assert!(matches!(e.get("required"), Some(FieldError::Invalid { .. })));
        assert_eq!(LeadFormInput::default().validate().unwrap_err().get("name"), Some(&FieldError::Required));
    }

    #[test]
    fn a_submission_is_checked_against_its_form() {
        let f = form(&[FormField::Name, FormField::Email, FormField::Phone, FormField::Message], &[FormField::Name]);
        let s = Submission::parse(&f, &values(&[("name", " Nadia "), ("email", "Nadia@Example.com"), ("ssn", "1")]))
            .unwrap();
        assert_eq!(s.name.as_deref(), Some("Nadia"));
        assert_eq!(s.email.as_ref().map(crate::common::Email::as_str), Some("nadia@example.com"));
        assert!(s.summary().contains("Email: nadia@example.com"));
        let e = Submission::parse(&f, &values(&[("email", "not-an-email")])).unwrap_err();
        assert_eq!(e.get("name"), Some(&FieldError::Required));
        assert_eq!(e.get("email"), Some(&FieldError::InvalidEmail));
        let e = Submission::parse(&f, &values(&[("name", "Nadia")])).unwrap_err();
        assert_eq!(e.get("email"), Some(&FieldError::Required), "no way to reach the lead");
        let long = "x".repeat(5000);
        let e = Submission::parse(&f, &values(&[("name", "N"), ("email", "n@x.com"), ("message", &long)])).unwrap_err();
        assert_eq!(e.get("message"), Some(&FieldError::TooLong { max: 4000 }));
    }

    #[test]
    fn the_snippet_posts_every_field_to_the_public_endpoint() {
        let f = form(&[FormField::Name, FormField::Email, FormField::Message], &[FormField::Name, FormField::Email]);
        let html = embed_snippet(&f, "https://crm.example.com/");
        assert!(html.contains(&format!("action=\"https://crm.example.com/api/v1/forms/{}/submissions\"", f.id)));
        assert!(html.contains("name=\"email\" autocomplete=\"email\" required"));
        assert!(html.contains("<textarea name=\"message\" rows=\"4\"></textarea>"));
        assert!(html.contains(&format!("name=\"{HONEYPOT}\"")));
        assert!(!html.contains("<script"));
    }
}
