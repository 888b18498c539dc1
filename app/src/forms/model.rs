use crate::common::validation::{optional_text, required_text};
use crate::common::{Email, FieldError, FieldErrors, FormId, Phone, TerritoryId, UserId};
use crate::fields::{CustomValues, FieldDef, FieldKind};
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
    /// The business's own contact fields it asks too, by key, after `fields` (required where
    /// the field is).
    #[serde(default)]
    pub custom_fields: Vec<String>,
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
    /// Keys of custom contact fields to ask too (not links to records).
    #[serde(default)]
    pub custom_fields: Vec<String>,
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
    pub custom_fields: Vec<String>,
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
        let mut custom_fields: Vec<String> = Vec::new();
        for (i, key) in self.custom_fields.iter().enumerate() {
            match crate::fields::parse_key(key) {
                Ok(key) if custom_fields.contains(&key) => e.add(&format!("custom_fields.{i}"), FieldError::Taken),
                Ok(key) => custom_fields.push(key),
                Err(error) => e.add(&format!("custom_fields.{i}"), error),
            }
        }
        e.into_result(|| NewLeadForm {
            name: name.unwrap_or_default(),
            fields,
            required,
            custom_fields,
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
    /// The values of the custom fields it asks.
    pub custom: CustomValues,
    /// Those values as a person reads them: (label, value), in the form's order.
    pub answers: Vec<(String, String)>,
}

impl Submission {
    /// Checks posted values (form-encoded or JSON, as text) against the form: required fields
    /// present, email and phone well-formed, lengths bounded, and the custom fields it asks
    /// (`asked`, posted as `custom.<key>`, several choices separated by commas) checked against
    /// their definitions, errors on `custom.<key>`. Fields the form does not ask for are
    /// ignored. The name falls back to the email or the phone when the form does not require it.
    pub fn parse(
        form: &LeadForm,
        asked: &[FieldDef],
        values: &BTreeMap<String, String>,
    ) -> Result<Submission, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut s = Submission::default();
        let posted: serde_json::Map<String, serde_json::Value> = asked
            .iter()
            .filter_map(|d| {
                let raw = values.get(&crate::fields::values::path(&d.key))?;
                Some((d.key.clone(), crate::fields::values::import_value(d, raw)))
            })
            .collect();
        // Whoever built the form chose what it asks: a visitor may answer any field on it.
        let writer = crate::fields::Writer { office_and_up: true };
        if let Some(custom) = e.merge(crate::fields::apply(asked, None, &posted, writer)) {
            s.answers = asked
                .iter()
                .filter_map(|d| Some((d.label.en.clone(), crate::fields::display(d, custom.get(&d.key)?, "en"))))
                .collect();
            s.custom = custom;
        }
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
        for (label, value) in &self.answers {
            push(label, Some(value));
        }
        lines.join("\n")
    }
}

/// Escapes text for an HTML attribute or element.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The HTML an admin pastes into the company's website: a plain form that posts to the
/// public endpoint (no script, no cookie), with the honeypot hidden from people.
pub fn embed_snippet(form: &LeadForm, asked: &[FieldDef], base_url: &str) -> String {
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
    for def in asked {
        let _ = writeln!(html, "{}", custom_input(def));
    }
    let _ = writeln!(html, "  <div style=\"position:absolute;left:-10000px\" aria-hidden=\"true\"><input type=\"text\" name=\"{HONEYPOT}\" tabindex=\"-1\" autocomplete=\"off\"></div>");
    html.push_str("  <button type=\"submit\">Send</button>\n</form>\n");
    html
}

/// The snippet's question for a custom field: an input of the field's kind, named
/// `custom.<key>`; choices as a list (one) or boxes to tick (several), by their keys.
fn custom_input(def: &FieldDef) -> String {
    let name = escape(&crate::fields::values::path(&def.key));
    let label = escape(&def.label.en);
    let required = if def.required { " required" } else { "" };
    let offered = || def.choices.iter().filter(|c| !c.retired);
    let input = |kind: &str, extra: &str| format!("<input type=\"{kind}\" name=\"{name}\"{extra}{required}>");
    let field = match def.kind {
        FieldKind::LongText => format!("<textarea name=\"{name}\" rows=\"4\"{required}></textarea>"),
        FieldKind::Number => input("number", " step=\"any\""),
        FieldKind::Money => input("number", " min=\"0\" step=\"any\""),
        FieldKind::Date => input("date", ""),
        FieldKind::Phone => input("tel", ""),
        FieldKind::Email => input("email", ""),
        FieldKind::Url => input("url", ""),
        FieldKind::YesNo => format!(
            "<select name=\"{name}\"{required}><option value=\"\"></option><option value=\"yes\">Yes</option><option value=\"no\">No</option></select>"
        ),
        FieldKind::Choice => {
            let mut options = String::new();
            for c in offered() {
                let _ = write!(options, "<option value=\"{}\">{}</option>", escape(&c.key), escape(&c.label.en));
            }
            format!("<select name=\"{name}\"{required}><option value=\"\"></option>{options}</select>")
        }
        FieldKind::Choices => {
            let mut boxes = String::new();
            for c in offered() {
                let (key, label) = (escape(&c.key), escape(&c.label.en));
                let _ = write!(boxes, "<label><input type=\"checkbox\" name=\"{name}\" value=\"{key}\"> {label}</label> ");
            }
            return format!("  <fieldset><legend>{label}</legend>{boxes}</fieldset><br>");
        }
        FieldKind::Text | FieldKind::Link => input("text", ""),
    };
    let unit = def.unit.as_deref().map(|u| format!(" ({})", escape(u))).unwrap_or_default();
    format!("  <label>{label}{unit}<br>{field}</label><br>")
}

/// Whether a lead-capture form may ask `def`: a contact field a visitor can answer (not a link
/// to a record in the CRM, which a visitor cannot see).
pub fn askable(def: &FieldDef) -> bool {
    def.record_type == crate::fields::RecordType::Contact && def.kind != FieldKind::Link
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
            custom_fields: vec![],
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
        let s =
            Submission::parse(&f, &[], &values(&[("name", " Nadia "), ("email", "Nadia@Example.com"), ("ssn", "1")]))
                .unwrap();
        assert_eq!(s.name.as_deref(), Some("Nadia"));
        assert_eq!(s.email.as_ref().map(crate::common::Email::as_str), Some("nadia@example.com"));
        assert!(s.summary().contains("Email: nadia@example.com"));
        let e = Submission::parse(&f, &[], &values(&[("email", "not-an-email")])).unwrap_err();
        assert_eq!(e.get("name"), Some(&FieldError::Required));
        assert_eq!(e.get("email"), Some(&FieldError::InvalidEmail));
        let e = Submission::parse(&f, &[], &values(&[("name", "Nadia")])).unwrap_err();
        assert_eq!(e.get("email"), Some(&FieldError::Required), "no way to reach the lead");
        let long = "x".repeat(5000);
        let e = Submission::parse(&f, &[], &values(&[("name", "N"), ("email", "n@x.com"), ("message", &long)]))
            .unwrap_err();
        assert_eq!(e.get("message"), Some(&FieldError::TooLong { max: 4000 }));
    }

    #[test]
    fn the_snippet_posts_every_field_to_the_public_endpoint() {
        let f = form(&[FormField::Name, FormField::Email, FormField::Message], &[FormField::Name, FormField::Email]);
        let html = embed_snippet(&f, &[], "https://crm.example.com/");
        assert!(html.contains(&format!("action=\"https://crm.example.com/api/v1/forms/{}/submissions\"", f.id)));
        assert!(html.contains("name=\"email\" autocomplete=\"email\" required"));
        assert!(html.contains("<textarea name=\"message\" rows=\"4\"></textarea>"));
        assert!(html.contains(&format!("name=\"{HONEYPOT}\"")));
        assert!(!html.contains("<script"));
    }

    fn custom(key: &str, kind: &str, required: bool) -> FieldDef {
        let input = crate::fields::FieldDefInput {
            record_type: "contact".into(),
            key: key.into(),
            label: crate::fields::Label { en: key.replace('_', " "), bn: None },
            kind: kind.into(),
            required,
            choices: ["gulshan", "banani"]
                .map(|k| crate::fields::Choice {
                    key: k.into(),
                    label: crate::fields::Label { en: k.to_uppercase(), bn: None },
                    retired: false,
                })
                .to_vec(),
            ..Default::default()
        };
        let n = input.validate().unwrap();
        n.defined(crate::common::FieldId::new(), 0)
    }

    #[test]
    fn a_form_asks_the_businesss_own_fields_and_checks_the_answers() {
        let f = form(&[FormField::Name, FormField::Phone], &[FormField::Name]);
        let asked = [custom("budget", "money", true), custom("preferred_area", "choices", false)];
        let s = Submission::parse(
            &f,
            &asked,
            &values(&[
                ("name", "Nadia"),
                ("phone", "01711234567"),
                ("custom.budget", "2500000"),
                ("custom.preferred_area", "banani,gulshan"),
            ]),
        )
        .unwrap();
        assert_eq!(s.custom.get("budget"), Some(&serde_json::json!(250_000_000)), "whole taka, kept in poisha");
        assert_eq!(s.custom.get("preferred_area"), Some(&serde_json::json!(["gulshan", "banani"])));
        assert!(s.summary().ends_with("budget: BDT 2500000\npreferred area: GULSHAN, BANANI"), "{}", s.summary());
        let e = Submission::parse(
            &f,
            &asked,
            &values(&[("name", "Nadia"), ("phone", "01711234567"), ("custom.preferred_area", "mirpur")]),
        )
        .unwrap_err();
        assert_eq!(e.get("custom.budget"), Some(&FieldError::Required));
        assert_eq!(e.get("custom.preferred_area"), Some(&FieldError::NotAllowed));

        let html = embed_snippet(&f, &asked, "https://crm.example.com");
        assert!(
            html.contains("<input type=\"number\" name=\"custom.budget\" min=\"0\" step=\"any\" required>"),
            "{html}"
        );
        assert!(
            html.contains("<input type=\"checkbox\" name=\"custom.preferred_area\" value=\"banani\"> BANANI"),
            "{html}"
        );
    }

    #[test]
    fn a_form_names_each_custom_field_once() {
        let input = LeadFormInput {
            name: "Website".into(),
            custom_fields: vec!["budget".into(), "budget".into(), "Bad Key".into()],
            ..Default::default()
        };
        let e = input.validate().unwrap_err();
        assert_eq!(e.get("custom_fields.1"), Some(&FieldError::Taken));
        assert!(e.get("custom_fields.2").is_some());
    }
}
