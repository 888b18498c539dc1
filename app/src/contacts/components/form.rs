//! Create and edit a contact. The form parses with the same `ContactForCreate::validate` the
//! server runs, so most mistakes show before anything is sent; the server's answer (e.g. an
//! owner out of scope) shows under the same fields.

use super::list::lifecycle_label;
use crate::common::{ApiError, ContactId, ErrorCode, FieldErrors};
use crate::contacts::{Channel, Consent, Contact, ContactForCreate, ContactForUpdate, LatLon, Lifecycle};
use crate::fields::components::CustomInputs;
use crate::i18n::*;
use crate::ui::{field_error_text, ClientOnly, ErrorState, Loading};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn NewContactPage() -> impl IntoView {
    view! { <section class="page narrow"><ContactForm existing=None/></section> }
}

#[component]
pub fn EditContactPage() -> impl IntoView {
    let params = use_params_map();
    let contact = LocalResource::new(move || {
        let id = params.with(|p| p.get("id").and_then(|id| ContactId::parse(&id)));
        async move {
            match id {
                Some(id) => crate::contacts::api::get(id).await,
                None => Err(ApiError::new(ErrorCode::NotFound, "no such contact")),
            }
        }
    });
    view! {
        <section class="page narrow">
            <ClientOnly><Transition fallback=Loading>
                {move || contact.get().map(|r| match r {
                    Ok(c) => view! { <ContactForm existing=Some(c)/> }.into_any(),
                    Err(error) => view! { <ErrorState error on_retry=move |()| contact.refetch()/> }.into_any(),
                })}
            </Transition></ClientOnly>
        </section>
    }
}

fn lines(text: &str) -> Vec<String> {
    text.split(['\n', ',', ';']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// The form's state, shared by its sections: a signal per field and the errors shown under
/// the fields.
#[derive(Clone, Copy)]
struct ContactFields {
    name: RwSignal<String>,
    company: RwSignal<bool>,
    lifecycle: RwSignal<String>,
    phones: RwSignal<String>,
    emails: RwSignal<String>,
    tags: RwSignal<String>,
    address: RwSignal<String>,
    lat: RwSignal<String>,
    lon: RwSignal<String>,
    channel: RwSignal<String>,
    source: RwSignal<String>,
    notes: RwSignal<String>,
    consent_email: RwSignal<bool>,
    consent_sms: RwSignal<bool>,
    consent_calls: RwSignal<bool>,
    /// Custom values as the API takes them (every value the contact holds, changed or not).
    custom: RwSignal<serde_json::Map<String, serde_json::Value>>,
    errors: RwSignal<FieldErrors>,
}

impl ContactFields {
    /// The fields of `existing`, or a new contact's (a person who may be called).
    fn new(existing: Option<&Contact>) -> ContactFields {
        let e = existing;
        let text = |f: fn(&Contact) -> String| RwSignal::new(e.map(f).unwrap_or_default());
        let consent = e.map_or(Consent { email: false, sms: false, calls: true }, |c| c.consent);
        ContactFields {
            name: text(|c| c.name.clone()),
            company: RwSignal::new(e.is_some_and(|c| c.kind == crate::contacts::ContactKind::Company)),
            lifecycle: text(|c| c.lifecycle.as_str().to_string()),
            phones: text(|c| c.phones.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")),
            emails: text(|c| c.emails.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")),
            tags: text(|c| c.tags.join(", ")),
            address: text(|c| c.address.clone().unwrap_or_default()),
            lat: text(|c| c.location.map(|l| l.lat().to_string()).unwrap_or_default()),
            lon: text(|c| c.location.map(|l| l.lon().to_string()).unwrap_or_default()),
            channel: text(|c| c.preferred_channel.map(|p| p.as_str().to_string()).unwrap_or_default()),
            source: text(|c| c.source.clone().unwrap_or_default()),
            notes: text(|c| c.notes.clone().unwrap_or_default()),
            consent_email: RwSignal::new(consent.email),
            consent_sms: RwSignal::new(consent.sms),
            consent_calls: RwSignal::new(consent.calls),
            custom: RwSignal::new(e.map(|c| c.custom.clone().into_iter().collect()).unwrap_or_default()),
            errors: RwSignal::new(FieldErrors::new()),
        }
    }

    /// What the fields say, as the body of a create.
    fn body(self) -> ContactForCreate {
        let ContactFields {
            name,
            company,
            lifecycle,
            phones,
            emails,
            tags,
            address,
            lat,
            lon,
            channel,
            source,
            notes,
            consent_email,
            consent_sms,
            consent_calls,
            custom,
            ..
        } = self;
        let location = match (lat.get().trim().parse::<f64>(), lon.get().trim().parse::<f64>()) {
            (Ok(lat), Ok(lon)) => Some(LatLon { lat, lon }),
            _ => None,
        };
        let opt = |s: String| (!s.trim().is_empty()).then_some(s);
        ContactForCreate {
            kind: Some(if company.get() { "company" } else { "person" }.into()),
            name: name.get(),
            lifecycle: opt(lifecycle.get()),
            phones: lines(&phones.get()),
            emails: lines(&emails.get()),
            tags: lines(&tags.get()),
            address: opt(address.get()),
            location,
            preferred_channel: opt(channel.get()),
            source: opt(source.get()),
            notes: opt(notes.get()),
            consent: Some(Consent { email: consent_email.get(), sms: consent_sms.get(), calls: consent_calls.get() }),
            custom: custom.get(),
            ..Default::default()
        }
    }

    /// A person or a company, as the form stands.
    fn kind(self) -> crate::contacts::ContactKind {
        if self.company.get() {
            crate::contacts::ContactKind::Company
        } else {
            crate::contacts::ContactKind::Person
        }
    }

    /// The message under `field`, in the reader's language, while it has one.
    fn error(self, field: &'static str) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
        let (i18n, errors) = (use_i18n(), self.errors);
        move || errors.with(|e| e.get(field).map(|fe| field_error_text(i18n, fe)))
    }
}

/// The edit that saves `body` over version `version` of a contact: every field the form shows.
fn update(body: ContactForCreate, version: i64) -> ContactForUpdate {
    ContactForUpdate {
        base_version: Some(version),
        kind: body.kind,
        name: Some(body.name),
        lifecycle: body.lifecycle,
        phones: Some(body.phones),
        emails: Some(body.emails),
        tags: Some(body.tags),
        address: Some(body.address),
        location: Some(body.location),
        preferred_channel: Some(body.preferred_channel),
        source: Some(body.source),
        notes: Some(body.notes),
        consent: body.consent,
        custom: Some(body.custom),
        ..Default::default()
    }
}

/// Where a field's error shows: a custom field under its own input (`custom.<key>`), any
/// other under the input of its first part (`phones.1` under `phones`).
fn shown_under(field: &str) -> &str {
    if field.starts_with("custom.") {
        field
    } else {
        field.split('.').next().unwrap_or(field)
    }
}

#[component]
fn ContactForm(existing: Option<Contact>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let fields = ContactFields::new(existing.as_ref());
    let errors = fields.errors;
    let server_error = RwSignal::new(None::<String>);
    let current = existing.clone();
    let allowed: Vec<Lifecycle> = match &existing {
        Some(c) => std::iter::once(c.lifecycle).chain(c.lifecycle.next().iter().copied()).collect(),
        None => Lifecycle::ALL.to_vec(),
    };

    let defs = LocalResource::new(|| crate::fields::api::list(crate::fields::RecordType::Contact));
    let office = crate::session::current_user().with_untracked(|u| u.role != crate::users::Role::Rep);
    let existing_custom = existing.as_ref().map(|c| c.custom.clone());
    let save = crate::ui::browser_action(move |body: &ContactForCreate| {
        let body = body.clone();
        let current = current.clone();
        async move {
            match current {
                None => crate::contacts::api::create(body).await,
                Some(c) => crate::contacts::api::update(c.id, update(body, c.version)).await,
            }
        }
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(saved)) => navigate(&format!("/contacts/{}", saved.id), Default::default()),
        Some(Err(e)) if !e.fields.is_empty() => {
            server_error.set(Some(t_string!(i18n, contact_form.fix_fields).to_string()));
            let mut fe = FieldErrors::new();
            for (field, why) in e.field_errors().0 {
                fe.add(shown_under(&field), why);
            }
            errors.set(fe);
        }
        Some(Err(e)) if e.code == ErrorCode::Network => {
            server_error.set(Some(t_string!(i18n, common.network).to_string()));
        }
        Some(Err(e)) => server_error.set(Some(e.message)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        server_error.set(None);
        let mut body = fields.body();
        // The same checks the server runs: built-in fields, then the custom ones a person or
        // a company is asked, against their definitions (as far as this device knows them).
        let mut found = body.validate().err().unwrap_or_default();
        let asked = defs.get_untracked().and_then(Result::ok).map(|d| crate::fields::for_contact(&d, fields.kind()));
        if let Some(asked) = &asked {
            body.custom.retain(|key, _| asked.iter().any(|d| &d.key == key));
        }
        found.0.extend(
            crate::fields::components::mistakes(asked.as_deref(), existing_custom.as_ref(), &body.custom, office).0,
        );
        if found.is_empty() {
            errors.set(FieldErrors::new());
            save.dispatch(body);
        } else {
            let mut fe = FieldErrors::new();
            for (field, error) in found.0 {
                fe.add(shown_under(&field), error);
            }
            errors.set(fe);
        }
    };
    let is_edit = existing.is_some();
    view! {
        <header class="page-header">
            <h1>{move || if is_edit { t_string!(i18n, contact_form.edit_title) } else { t_string!(i18n, contact_form.new_title) }}</h1>
        </header>
        <form class="card" on:submit=submit novalidate>
            <Who fields allowed/>
            <HowToReach fields/>
            <Address fields/>
            <div class="form-grid">
                <Position fields/>
                <Profile fields/>
            </div>
            <Consents fields/>
            <Notes fields/>
            // The business's own fields come from the API (or this device's copy): drawn in
            // the browser only, so the server's page never waits for them.
            <ClientOnly>{move || {
                let asked = defs.get().and_then(Result::ok).map(|d| crate::fields::for_contact(&d, fields.kind()));
                asked.filter(|d| !d.is_empty()).map(|defs| view! { <CustomInputs defs values=fields.custom errors office/> })
            }}</ClientOnly>
            <p class="form-error" role="alert">{move || server_error.get()}</p>
            <div class="form-actions">
                <a class="button secondary" href=existing.as_ref().map_or("/contacts".to_string(), |c| format!("/contacts/{}", c.id))>{t!(i18n, common.cancel)}</a>
                <button type="submit" class="button primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { t_string!(i18n, common.saving) } else { t_string!(i18n, common.save) }}
                </button>
            </div>
        </form>
    }
}

/// Who: the name, the stage (those `allowed` from where the contact is), and whether it is a
/// company.
#[component]
fn Who(fields: ContactFields, allowed: Vec<Lifecycle>) -> impl IntoView {
    let i18n = use_i18n();
    let ContactFields { name, lifecycle, company, .. } = fields;
    let err = |field| fields.error(field);
    view! {
        <div class="form-grid">
            <label class="field"><span>{t!(i18n, common.name)}</span>
                <input name="name" required maxlength="200" autocomplete="off" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                <span class="field-error">{err("name")}</span>
            </label>
            <label class="field"><span>{t!(i18n, contact_form.stage)}</span>
                <select name="lifecycle" on:change=move |ev| lifecycle.set(event_target_value(&ev))>
                    {allowed.into_iter().map(|l| view! {
                        <option value=l.as_str() selected=move || lifecycle.get() == l.as_str()>{move || lifecycle_label(i18n, l)}</option>
                    }).collect_view()}
                </select>
                <span class="field-error">{err("lifecycle")}</span>
            </label>
        </div>
        <label class="checkbox"><input type="checkbox" name="company" prop:checked=company on:change=move |ev| company.set(event_target_checked(&ev))/>
            {t!(i18n, contact_form.is_company)}</label>
    }
}

/// How to reach them: phone numbers and email addresses, one per line.
#[component]
fn HowToReach(fields: ContactFields) -> impl IntoView {
    let i18n = use_i18n();
    let ContactFields { phones, emails, .. } = fields;
    let err = |field| fields.error(field);
    view! {
        <div class="form-grid">
            <label class="field"><span>{t!(i18n, contact_form.phones)}</span>
                <textarea name="phones" rows="2" inputmode="tel" prop:value=phones on:input=move |ev| phones.set(event_target_value(&ev))></textarea>
                <small class="muted">{t!(i18n, contact_form.one_per_line)}</small>
                <span class="field-error">{err("phones")}</span>
            </label>
            <label class="field"><span>{t!(i18n, contact_form.emails)}</span>
                <textarea name="emails" rows="2" inputmode="email" prop:value=emails on:input=move |ev| emails.set(event_target_value(&ev))></textarea>
                <small class="muted">{t!(i18n, contact_form.one_per_line)}</small>
                <span class="field-error">{err("emails")}</span>
            </label>
        </div>
    }
}

/// Where they are: the street address.
#[component]
fn Address(fields: ContactFields) -> impl IntoView {
    let i18n = use_i18n();
    let address = fields.address;
    let err = |field| fields.error(field);
    view! {
        <label class="field"><span>{t!(i18n, contact_form.address)}</span>
            <input name="address" autocomplete="street-address" prop:value=address on:input=move |ev| address.set(event_target_value(&ev))/>
            <span class="field-error">{err("address")}</span>
        </label>
    }
}

/// Where they are on the map: latitude and longitude.
#[component]
fn Position(fields: ContactFields) -> impl IntoView {
    let i18n = use_i18n();
    let ContactFields { lat, lon, .. } = fields;
    let err = |field| fields.error(field);
    view! {
        <label class="field"><span>{t!(i18n, contact_form.lat)}</span>
            <input name="lat" inputmode="decimal" prop:value=lat on:input=move |ev| lat.set(event_target_value(&ev))/>
            <span class="field-error">{err("location")}</span>
        </label>
        <label class="field"><span>{t!(i18n, contact_form.lon)}</span>
            <input name="lon" inputmode="decimal" prop:value=lon on:input=move |ev| lon.set(event_target_value(&ev))/>
        </label>
    }
}

/// How we know them: their tags (segments), the channel they prefer, and where they came from.
#[component]
fn Profile(fields: ContactFields) -> impl IntoView {
    let i18n = use_i18n();
    let ContactFields { tags, channel, source, .. } = fields;
    let err = |field| fields.error(field);
    view! {
        <label class="field"><span>{t!(i18n, contact_form.tags)}</span>
            <input name="tags" prop:value=tags on:input=move |ev| tags.set(event_target_value(&ev))/>
            <span class="field-error">{err("tags")}</span>
        </label>
        <label class="field"><span>{t!(i18n, contact_form.channel)}</span>
            <select name="preferred_channel" on:change=move |ev| channel.set(event_target_value(&ev))>
                <option value="">{t!(i18n, common.none)}</option>
                {Channel::ALL.into_iter().map(|c| view! {
                    <option value=c.as_str() selected=move || channel.get() == c.as_str()>{c.as_str()}</option>
                }).collect_view()}
            </select>
        </label>
        <label class="field"><span>{t!(i18n, contact_form.source)}</span>
            <input name="source" prop:value=source on:input=move |ev| source.set(event_target_value(&ev))/>
        </label>
    }
}

/// What they agreed to be contacted by: calls, SMS, email.
#[component]
fn Consents(fields: ContactFields) -> impl IntoView {
    let i18n = use_i18n();
    let ContactFields { consent_calls, consent_sms, consent_email, .. } = fields;
    view! {
        <fieldset class="field">
            <legend>{t!(i18n, contact_form.consent)}</legend>
            <div class="segmented">
                <label><input type="checkbox" prop:checked=consent_calls on:change=move |ev| consent_calls.set(event_target_checked(&ev))/>{t!(i18n, contact_form.consent_calls)}</label>
                <label><input type="checkbox" prop:checked=consent_sms on:change=move |ev| consent_sms.set(event_target_checked(&ev))/>{t!(i18n, contact_form.consent_sms)}</label>
                <label><input type="checkbox" prop:checked=consent_email on:change=move |ev| consent_email.set(event_target_checked(&ev))/>{t!(i18n, contact_form.consent_email)}</label>
            </div>
        </fieldset>
    }
}

/// Notes about them, for the team.
#[component]
fn Notes(fields: ContactFields) -> impl IntoView {
    let i18n = use_i18n();
    let notes = fields.notes;
    view! {
        <label class="field"><span>{t!(i18n, contact_form.notes)}</span>
            <textarea name="notes" rows="3" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
        </label>
    }
}
