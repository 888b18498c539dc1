//! "New lead": a name and a phone, one tap from Today and the contact list. Saved on this
//! device first, so it works with no signal; then the contact page opens.

use crate::contacts::ContactForCreate;
use crate::i18n::*;
use crate::ui::{error_text, field_error_text, Icon};
use leptos::prelude::*;

/// The button; the form shows where the page puts [`NewLeadPanel`] with the same `open`.
#[component]
pub fn NewLeadButton(open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="button" class="button primary" aria-expanded=move || open.get().to_string() aria-controls="new-lead"
            on:click=move |_| open.update(|o| *o = !*o)>
            <Icon name="plus" size=20/><span>{t!(i18n, lead.open)}</span>
        </button>
    }
}

#[component]
pub fn NewLeadPanel(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <Show when=move || open.get()>
            <NewLeadForm on_cancel=move |()| open.set(false)/>
        </Show>
    }
}

#[component]
fn NewLeadForm(#[prop(into)] on_cancel: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let navigate = leptos_router::hooks::use_navigate();
    let save =
        crate::ui::browser_action(move |body: &ContactForCreate| crate::contacts::api::create_lead(body.clone()));
    Effect::new(move || match save.value().get() {
        Some(Ok(saved)) => navigate(&format!("/contacts/{}", saved.record().id), Default::default()),
        Some(Err(e)) => errors.set(vec![(String::new(), error_text(i18n, &e))]),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = ContactForCreate::lead(&name.get_untracked(), &phone.get_untracked());
        // The same checks as the server, so a mistake shows at once, offline too.
        match body.validate() {
            Ok(_) => {
                errors.set(vec![]);
                save.dispatch(body);
            }
            Err(e) => errors.set(e.0.iter().map(|(f, err)| (f.clone(), field_error_text(i18n, err))).collect()),
        }
    };
    let error_of = move |field: &'static str| {
        move || {
            errors.with(|e| {
                e.iter().find(|(f, _)| f == field || f.starts_with(&format!("{field}."))).map(|(_, m)| m.clone())
            })
        }
    };
    view! {
        <form id="new-lead" class="card quick-form lead-form" on:submit=submit novalidate>
            <h2>{t!(i18n, lead.title)}</h2>
            <label class="field">
                <span>{t!(i18n, lead.name)}</span>
                <input id="lead-name" name="name" autocomplete="name" required autofocus prop:value=name
                    on:input=move |ev| name.set(event_target_value(&ev))
                    aria-invalid=move || error_of("name")().is_some().to_string()/>
                {move || error_of("name")().map(|m| view! { <span class="field-error">{m}</span> })}
            </label>
            <label class="field">
                <span>{t!(i18n, lead.phone)}</span>
                <input id="lead-phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" prop:value=phone
                    on:input=move |ev| phone.set(event_target_value(&ev))
                    aria-invalid=move || error_of("phones")().is_some().to_string()/>
                {move || error_of("phones")().map(|m| view! { <span class="field-error">{m}</span> })}
            </label>
            {move || error_of("")().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>{t!(i18n, lead.save)}</button>
                <button type="button" class="button secondary" on:click=move |_| on_cancel.run(())>{t!(i18n, common.cancel)}</button>
            </div>
        </form>
    }
}
