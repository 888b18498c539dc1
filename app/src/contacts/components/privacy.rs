//! A data-protection request about one contact, for office staff: download everything held about
//! them, or erase it (the server keeps what happened, without who).

use crate::common::ContactId;
use crate::i18n::*;
use crate::ui::confirm;
use leptos::prelude::*;

#[component]
pub fn PrivacyCard(contact: ContactId, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let erase = crate::ui::browser_action(move |(): &()| crate::contacts::api::erase(contact));
    Effect::new(move || {
        if let Some(Ok(())) = erase.value().get() {
            leptos_router::hooks::use_navigate()("/contacts", Default::default());
        }
    });
    let ask = move |_| {
        if confirm(&t_string!(i18n, privacy.confirm_erase).replace("{name}", &name)) {
            erase.dispatch(());
        }
    };
    view! {
        <section class="card privacy-card" aria-labelledby="privacy-title">
            <h2 id="privacy-title">{t!(i18n, privacy.title)}</h2>
            <p class="hint">{t!(i18n, privacy.intro)}</p>
            <div class="actions">
                <a class="button secondary" href=crate::contacts::api::personal_data_url(contact)
                    download=format!("contact-{contact}.json")>{t!(i18n, privacy.download)}</a>
                <button class="button danger-outline" on:click=ask disabled=move || erase.pending().get()>
                    {move || if erase.pending().get() { t!(i18n, privacy.erasing).into_any() } else { t!(i18n, privacy.erase).into_any() }}
                </button>
            </div>
            {move || erase.value().get().and_then(Result::err).map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
        </section>
    }
}
