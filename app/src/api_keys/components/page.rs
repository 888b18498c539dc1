//! Admin: API keys — create (the secret is shown once), list, revoke.

use crate::api_keys::{ApiKey, ApiKeyForCreate};
use crate::i18n::*;
use crate::locale::{format_instant, Style};
use crate::ui::{confirm, field_error_text, ClientOnly, EmptyState, ErrorState, Icon, Loading};
use leptos::prelude::*;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let i18n = use_i18n();
    let keys = LocalResource::new(crate::api_keys::api::list);
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let secret = RwSignal::new(None::<String>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = ApiKeyForCreate { name: name.get_untracked() };
        if let Err(fields) = form.validate() {
            error.set(fields.get("name").map(|e| field_error_text(i18n, e)));
            return;
        }
        error.set(None);
        leptos::task::spawn_local(async move {
            match crate::api_keys::api::create(form.name).await {
                Ok(created) => {
                    secret.set(Some(created.secret));
                    name.set(String::new());
                    keys.refetch();
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <section class="page narrow">
            <header class="page-header">
                <h1>{t!(i18n, api_keys.title)}</h1>
                <p class="muted">{t!(i18n, api_keys.intro)}</p>
            </header>
            <form class="card inline-form" on:submit=create>
                <label class="field">
                    <span>{t!(i18n, api_keys.name)}</span>
                    <input type="text" name="key_name" placeholder="Website form" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                    <small class="field-error" role="alert">{move || error.get()}</small>
                </label>
                <button type="submit" class="button primary"><Icon name="key" size=18/><span>{t!(i18n, api_keys.create)}</span></button>
            </form>
            {move || secret.get().map(|s| view! {
                <div class="card secret" role="status">
                    <p><strong>{t!(i18n, api_keys.shown_once)}</strong></p>
                    <code class="secret-value">{s}</code>
                </div>
            })}
            <ClientOnly><Transition fallback=Loading>
                {move || keys.get().map(|result| match result {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState icon="key" title=move || t!(i18n, api_keys.empty) hint=move || t!(i18n, api_keys.intro)/>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="record-list">
                            {list.into_iter().map(|key| view! { <KeyRow key on_revoked=move || keys.refetch()/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorState error on_retry=move |()| keys.refetch()/> }.into_any(),
                })}
            </Transition></ClientOnly>
        </section>
    }
}

#[component]
fn KeyRow(key: ApiKey, #[prop(into)] on_revoked: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let tz = crate::session::current_user().get_untracked().time_zone.as_str().to_string();
    let (created, last_used) = (key.created_at, key.last_used_at);
    let tz2 = tz.clone();
    let revoke = {
        let (id, name) = (key.id, key.name.clone());
        move |_| {
            if confirm(&t_string!(i18n, api_keys.confirm_revoke, name = name.clone())) {
                leptos::task::spawn_local(async move {
                    if crate::api_keys::api::revoke(id).await.is_ok() {
                        on_revoked.run(());
                    }
                });
            }
        }
    };
    view! {
        <li class="record">
            <div class="record-main">
                <strong>{key.name.clone()}</strong>
                <code class="muted">{format!("{}…", key.prefix)}</code>
                <p class="muted small">
                    {t!(i18n, api_keys.created_at)}": "{move || format_instant(created, &tz, i18n.get_locale(), Style::DateTime)}" · "
                    {t!(i18n, api_keys.last_used)}": "
                    {move || last_used.map_or_else(|| t_string!(i18n, api_keys.never).to_string(), |t| format_instant(t, &tz2, i18n.get_locale(), Style::DateTime))}
                </p>
            </div>
            <button class="button small danger-outline" on:click=revoke>{t!(i18n, api_keys.revoke)}</button>
        </li>
    }
}
