//! Create and edit a contact. The form parses with the same `ContactForCreate::validate` the
//! server runs, so most mistakes show before anything is sent; the server's answer (e.g. an
//! owner out of scope) shows under the same fields.

use super::list::lifecycle_label;
use crate::common::{ApiError, ContactId, ErrorCode, FieldErrors};
use crate::contacts::{Channel, Consent, Contact, ContactForCreate, ContactForUpdate, LatLon, Lifecycle};
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

#[component]
fn ContactForm(existing: Option<Contact>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let e = existing.clone();
    let text = |f: fn(&Contact) -> String| RwSignal::new(e.as_ref().map(f).unwrap_or_default());
    let name = text(|c| c.name.clone());
    let company = RwSignal::new(e.as_ref().is_some_and(|c| c.kind == crate::contacts::ContactKind::Company));
    let lifecycle = text(|c| c.lifecycle.as_str().to_string());
    let phones = text(|c| c.phones.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"));
    let emails = text(|c| c.emails.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"));
    let tags = text(|c| c.tags.join(", "));
    let address = text(|c| c.address.clone().unwrap_or_default());
    let lat = text(|c| c.location.map(|l| l.lat().to_string()).unwrap_or_default());
    let lon = text(|c| c.location.map(|l| l.lon().to_string()).unwrap_or_default());
    let channel = text(|c| c.preferred_channel.map(|p| p.as_str().to_string()).unwrap_or_default());
    let source = text(|c| c.source.clone().unwrap_or_default());
    let notes = text(|c| c.notes.clone().unwrap_or_default());
    let consent = e.as_ref().map_or(Consent { email: false, sms: false, calls: true }, |c| c.consent);
    let (consent_email, consent_sms, consent_calls) =
        (RwSignal::new(consent.email), RwSignal::new(consent.sms), RwSignal::new(consent.calls));
    let errors = RwSignal::new(FieldErrors::new());
    let server_error = RwSignal::new(None::<String>);
    let current = existing.clone();
    let allowed: Vec<Lifecycle> = match &existing {
        Some(c) => std::iter::once(c.lifecycle).chain(c.lifecycle.next().iter().copied()).collect(),
        None => Lifecycle::ALL.to_vec(),
    };

    let build = move || {
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
            ..Default::default()
        }
    };
    let save = crate::ui::browser_action(move |body: &ContactForCreate| {
        let body = body.clone();
        let current = current.clone();
        async move {
            match current {
                None => crate::contacts::api::create(body).await,
                Some(c) => {
                    let update = ContactForUpdate {
                        base_version: Some(c.version),
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
                        ..Default::default()
                    };
                    crate::contacts::api::update(c.id, update).await
                }
            }
        }
    });
    Effect::new(move || match save.value().get() {
        Some(Ok(saved)) => navigate(&format!("/contacts/{}", saved.id), Default::default()),
        Some(Err(e)) if !e.fields.is_empty() => {
            server_error.set(Some(t_string!(i18n, contact_form.fix_fields).to_string()));
            let mut fe = FieldErrors::new();
            for field in e.fields.keys() {
                fe.add(field.split('.').next().unwrap_or(field), crate::common::FieldError::NotAllowed);
            }
            errors.set(fe);
        }
        Some(Err(e)) if e.code == ErrorCode::Network => {
            server_error.set(Some(t_string!(i18n, common.network).to_string()))
        }
        Some(Err(e)) => server_error.set(Some(e.message)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        server_error.set(None);
        let body = build();
        match body.validate() {
            Ok(_) => {
                errors.set(FieldErrors::new());
                save.dispatch(body);
            }
            Err(fields) => {
                let mut fe = FieldErrors::new();
                for (field, error) in fields.0 {
                    fe.add(field.split('.').next().unwrap_or(&field), error);
                }
                errors.set(fe);
            }
        }
    };
    let err = move |field: &'static str| move || errors.with(|e| e.get(field).map(|fe| field_error_text(i18n, fe)));
    let is_edit = existing.is_some();
    view! {
        <header class="page-header">
            <h1>{move || if is_edit { t_string!(i18n, contact_form.edit_title) } else { t_string!(i18n, contact_form.new_title) }}</h1>
        </header>
        <form class="card" on:submit=submit novalidate>
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
            <label class="field"><span>{t!(i18n, contact_form.address)}</span>
                <input name="address" autocomplete="street-address" prop:value=address on:input=move |ev| address.set(event_target_value(&ev))/>
                <span class="field-error">{err("address")}</span>
            </label>
            <div class="form-grid">
                <label class="field"><span>{t!(i18n, contact_form.lat)}</span>
                    <input name="lat" inputmode="decimal" prop:value=lat on:input=move |ev| lat.set(event_target_value(&ev))/>
                    <span class="field-error">{err("location")}</span>
                </label>
                <label class="field"><span>{t!(i18n, contact_form.lon)}</span>
                    <input name="lon" inputmode="decimal" prop:value=lon on:input=move |ev| lon.set(event_target_value(&ev))/>
                </label>
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
            </div>
            <fieldset class="field">
                <legend>{t!(i18n, contact_form.consent)}</legend>
                <div class="segmented">
                    <label><input type="checkbox" prop:checked=consent_calls on:change=move |ev| consent_calls.set(event_target_checked(&ev))/>{t!(i18n, contact_form.consent_calls)}</label>
                    <label><input type="checkbox" prop:checked=consent_sms on:change=move |ev| consent_sms.set(event_target_checked(&ev))/>{t!(i18n, contact_form.consent_sms)}</label>
                    <label><input type="checkbox" prop:checked=consent_email on:change=move |ev| consent_email.set(event_target_checked(&ev))/>{t!(i18n, contact_form.consent_email)}</label>
                </div>
            </fieldset>
            <label class="field"><span>{t!(i18n, contact_form.notes)}</span>
                <textarea name="notes" rows="3" prop:value=notes on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            </label>
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
