//! Email templates: placeholders like `{{contact.first_name}}` rendered by minijinja. A
//! template is checked when it is saved — its syntax, and that every placeholder is one the
//! renderer fills — so a typo is an error for the author, never a blank in a customer's inbox.

pub mod actions;
pub mod routes;
pub mod store;

use crate::error::{field_error, AppError, AppResult};
use crate::scope::Scope;
use crate::{contacts, listings};
use fieldwork_app::common::{FieldError, FieldErrors};
use fieldwork_app::fields::{display, CustomValues, FieldDef, RecordType};
use fieldwork_app::templates::{is_placeholder, EmailTemplate, RenderRequest, Rendered, TemplateInput, PLACEHOLDERS};
use fieldwork_app::users::User;
use minijinja::{Environment, UndefinedBehavior};
use sqlx::AnyConnection;

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env
}

/// The placeholders of `source` that the renderer does not know, or the syntax error; `custom`
/// are the keys of the contact fields a business added (`{{contact.custom.budget}}`).
fn check_one(env: &Environment<'_>, source: &str, custom: &[String]) -> Result<(), FieldError> {
    let template = env.template_from_str(source).map_err(|e| FieldError::Invalid { reason: syntax(&e) })?;
    let known = |v: &String| {
        is_placeholder(v) || v.strip_prefix(CUSTOM_PREFIX).is_some_and(|key| custom.iter().any(|k| k == key))
    };
    let mut unknown: Vec<String> = template.undeclared_variables(true).into_iter().filter(|v| !known(v)).collect();
    unknown.sort();
    match unknown.as_slice() {
        [] => Ok(()),
        names => Err(FieldError::Invalid {
            reason: format!(
                "unknown placeholder {}; use one of {}",
                names.iter().map(|n| format!("{{{{{n}}}}}")).collect::<Vec<_>>().join(", "),
                PLACEHOLDERS
                    .iter()
                    .map(|(p, _)| (*p).to_string())
                    .chain(custom.iter().map(|k| format!("{CUSTOM_PREFIX}{k}")))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

fn syntax(e: &minijinja::Error) -> String {
    match e.line() {
        Some(line) => format!("the template does not parse (line {line}): {}", e.detail().unwrap_or("syntax error")),
        None => format!("the template does not parse: {}", e.detail().unwrap_or("syntax error")),
    }
}

/// Where a contact's custom values are in a template: `{{contact.custom.<key>}}`.
const CUSTOM_PREFIX: &str = "contact.custom.";

/// Checks a template's lengths, syntax and placeholders (`custom`: the keys of the contact
/// fields the business added).
pub fn check(input: &TemplateInput, custom: &[String]) -> Result<TemplateInput, FieldErrors> {
    let input = input.validate()?;
    let env = environment();
    let mut e = FieldErrors::new();
    e.check("subject", check_one(&env, &input.subject, custom));
    e.check("body", check_one(&env, &input.body, custom));
    e.into_result(|| input)
}

/// Whether the template needs a listing to render.
pub fn uses_listing(subject: &str, body: &str) -> bool {
    let env = environment();
    [subject, body].iter().any(|s| {
        env.template_from_str(s).is_ok_and(|t| t.undeclared_variables(true).iter().any(|v| v.starts_with("listing")))
    })
}

/// Who an email is to, as its placeholders read them.
pub struct Person<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub company: Option<&'a str>,
}

/// The `contact` object of a rendering context; `custom` holds every contact field the
/// business added, as people read it (empty where the contact holds no value).
pub fn contact_context(person: &Person<'_>, fields: &[FieldDef], values: &CustomValues) -> serde_json::Value {
    let custom: serde_json::Map<String, serde_json::Value> = fields
        .iter()
        .map(|f| (f.key.clone(), values.get(&f.key).map(|v| display(f, v, "en")).unwrap_or_default().into()))
        .collect();
    serde_json::json!({
        "name": person.name,
        "first_name": crate::feedback::first_name(person.name),
        "email": person.email.unwrap_or(""),
        "phone": person.phone.unwrap_or(""),
        "company": person.company.unwrap_or(""),
        "custom": custom,
    })
}

/// Renders `source` against `context` (a JSON object of `contact`, `sender`, `listing`).
pub fn render(source: &str, context: &serde_json::Value) -> Result<String, String> {
    let env = environment();
    env.template_from_str(source)
        .and_then(|t| t.render(context))
        .map_err(|e| e.detail().map_or_else(|| e.to_string(), str::to_string))
}

/// Renders `template` from `sender` for the request's contact and listing, each read through
/// `conn` in `scope` (one out of scope is a 400 on its field). A template with listing
/// placeholders needs a listing.
pub(crate) async fn render_for(
    conn: &mut AnyConnection,
    scope: &Scope,
    sender: &User,
    link_base: &str,
    template: &EmailTemplate,
    on: &RenderRequest,
) -> AppResult<Rendered> {
    let contact = match on.contact_id {
        Some(id) => Some(
            contacts::store::get(&mut *conn, scope, &id.to_string()).await.map_err(|e| field_error(e, "contact_id"))?,
        ),
        None => None,
    };
    let listing = match on.listing_id {
        Some(id) => Some(listings::store::get(conn, scope, id).await.map_err(|e| field_error(e, "listing_id"))?),
        None => None,
    };
    if listing.is_none() && uses_listing(&template.subject, &template.body) {
        let mut e = FieldErrors::new();
        e.add(
            "listing_id",
            FieldError::Invalid { reason: "this template uses listing placeholders: choose a listing".into() },
        );
        return Err(AppError::Validation(e));
    }
    let fields = crate::fields::store::list(conn, Some(RecordType::Contact)).await?;
    let nobody = Person { name: "", email: None, phone: None, company: None };
    let context = serde_json::json!({
        "contact": contact.as_ref().map_or_else(
            || contact_context(&nobody, &fields, &CustomValues::new()),
            |c| {
                let person = Person {
                    name: &c.name,
                    email: c.emails.first().map(fieldwork_app::common::Email::as_str),
                    phone: c.phones.first().map(fieldwork_app::common::Phone::as_str),
                    company: c.company_name.as_deref(),
                };
                contact_context(&person, &fields, &c.custom)
            },
        ),
        "sender": {"name": sender.name, "email": sender.email.as_str()},
        "listing": listing.as_ref().map(|l| serde_json::json!({
            "title": l.title,
            "reference": l.reference,
            "price": format!("{} {}", l.price.currency().as_str(), l.price.major_units()),
            "address": l.address.clone().unwrap_or_default(),
            "url": l.share_token.as_ref().map(|t| format!("{link_base}/share/{t}")).unwrap_or_default(),
        })),
    });
    let fill = |field: &str, source: &str| {
        render(source, &context).map_err(|reason| {
            let mut e = FieldErrors::new();
            e.add(field, FieldError::Invalid { reason });
            AppError::Validation(e)
        })
    };
    Ok(Rendered {
        to: contact.as_ref().and_then(|c| c.emails.first()).map(|e| e.as_str().to_string()),
        subject: fill("subject", &template.subject)?,
        body: fill("body", &template.body)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_plain(input: &TemplateInput) -> Result<TemplateInput, FieldErrors> {
        check(input, &[])
    }

    #[test]
    fn a_contact_field_the_business_added_is_a_placeholder_too() {
        let budget = vec!["budget".to_string()];
        assert!(check(&input("Hi", "Your budget: {{contact.custom.budget}}"), &budget).is_ok());
        let e = check(&input("Hi", "{{contact.custom.floor}}"), &budget).unwrap_err();
        match e.get("body") {
            Some(FieldError::Invalid { reason }) => assert!(reason.contains("contact.custom.budget"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }

    fn input(subject: &str, body: &str) -> TemplateInput {
        TemplateInput { name: "Welcome".into(), subject: subject.into(), body: body.into() }
    }

    #[test]
    fn unknown_placeholders_are_refused_at_save() {
        let e = check_plain(&input("Hi {{contact.first_name}}", "Dear {{contact.nickname}}, see {{listing.title}}"))
            .unwrap_err();
        match e.get("body") {
            Some(FieldError::Invalid { reason }) => assert!(reason.contains("{{contact.nickname}}"), "{reason}"),
            other => panic!("{other:?}"),
        }
        assert!(e.get("subject").is_none());
        let e = check_plain(&input("Hi {{ contact }}", "x")).unwrap_err();
        assert!(matches!(e.get("subject"), Some(FieldError::Invalid { .. })), "a whole object is not a placeholder");
    }

    #[test]
    fn broken_syntax_is_refused_with_the_line() {
        let e = check_plain(&input("Hi", "line one\n{{ contact.name ")).unwrap_err();
        match e.get("body") {
            Some(FieldError::Invalid { reason }) => assert!(reason.contains("line 2"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn known_placeholders_render() {
        let ok =
            check_plain(&input("New: {{listing.title}}", "Dear {{ contact.first_name }},\n{{sender.name}}")).unwrap();
        assert!(uses_listing(&ok.subject, &ok.body));
        let context = serde_json::json!({
            "contact": {"first_name": "Nadia"}, "sender": {"name": "Rafiq"}, "listing": {"title": "Flat"}
        });
        assert_eq!(render(&ok.body, &context).unwrap(), "Dear Nadia,\nRafiq");
        assert!(render("{{ listing.title }}", &serde_json::json!({"contact": {}})).is_err(), "strict: no blanks");
        assert!(!uses_listing("Hi {{contact.name}}", "x"));
    }
}
