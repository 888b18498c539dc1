//! "More": the profile (name, language, time zone), administration links, and sign-out.

use crate::common::TimeZone;
use crate::i18n::*;
use crate::locale::{to_language, to_locale};
use crate::notifications::components::{EmailSettingsCard, InboxCard};
use crate::offline::components::LocalDataCard;
use crate::ui::{field_error_text, ClientOnly, Icon};
use crate::users::{Language, User, UserForUpdate};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn MorePage() -> impl IntoView {
    let i18n = use_i18n();
    let user = crate::session::current_user().get_untracked();
    view! {
        <section class="page narrow">
            <header class="page-header"><h1>{t!(i18n, more.title)}</h1></header>
            <InboxCard/>
            <div class="card">
                <ul class="link-list">
                    <li><A href="/dashboard"><Icon name="chart"/><span>{t!(i18n, nav.dashboard)}</span></A></li>
                    <li><A href="/pipeline"><Icon name="pipeline"/><span>{t!(i18n, nav.pipeline)}</span></A></li>
                    <li><A href="/tasks"><Icon name="tasks"/><span>{t!(i18n, nav.tasks)}</span></A></li>
                    <li><A href="/territories"><Icon name="map"/><span>{t!(i18n, nav.territories)}</span></A></li>
                    {(user.role != crate::users::Role::Rep).then(|| view! {
                        <li><A href="/reports"><Icon name="list"/><span>{t!(i18n, nav.reports)}</span></A></li>
                        <li><A href="/templates"><Icon name="mail"/><span>{t!(i18n, nav.templates)}</span></A></li>
                        <li><A href="/campaigns"><Icon name="share"/><span>{t!(i18n, nav.campaigns)}</span></A></li>
                    })}
                </ul>
            </div>
            <ProfileCard user=user.clone()/>
            <PasswordCard/>
            <EmailSettingsCard/>
            <ClientOnly><LocalDataCard/></ClientOnly>
            {user.role.can_administer().then(|| view! {
                <div class="card">
                    <h2>{t!(i18n, more.administration)}</h2>
                    <ul class="link-list">
                        <li><A href="/admin/users"><Icon name="users"/><span>{t!(i18n, nav.users)}</span></A></li>
                        <li><A href="/admin/api-keys"><Icon name="key"/><span>{t!(i18n, nav.api_keys)}</span></A></li>
                        <li><A href="/admin/forms"><Icon name="form"/><span>{t!(i18n, nav.forms)}</span></A></li>
                        <li><A href="/admin/fields"><Icon name="list"/><span>{t!(i18n, nav.fields)}</span></A></li>
                    </ul>
                </div>
            })}
            <button class="button block danger-outline" on:click=move |_| crate::offline::components::request_sign_out()>
                <Icon name="logout" size=20/><span>{t!(i18n, common.sign_out)}</span>
            </button>
        </section>
    }
}

#[component]
fn ProfileCard(user: User) -> impl IntoView {
    let i18n = use_i18n();
    let time_zone = RwSignal::new(user.time_zone.as_str().to_string());
    let tz_error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);

    let save = crate::ui::browser_action(move |changes: &UserForUpdate| crate::users::api::update_me(changes.clone()));
    Effect::new(move || match save.value().get() {
        Some(Ok(updated)) => {
            saved.set(true);
            crate::session::current_user().set(updated);
        }
        Some(Err(e)) => tz_error.set(Some(match e.fields.get("time_zone") {
            Some(_) => field_error_text(i18n, &crate::common::FieldError::InvalidTimeZone),
            None if e.code == crate::common::ErrorCode::Network => t_string!(i18n, common.network).to_string(),
            None => t_string!(i18n, common.error).to_string(),
        })),
        None => {}
    });

    let choose_language = move |language: Language| {
        i18n.set_locale(to_locale(language));
        saved.set(false);
        tz_error.set(None);
        save.dispatch(UserForUpdate { language: Some(language), ..Default::default() });
    };
    let save_time_zone = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        match TimeZone::parse(&time_zone.get_untracked()).map(String::from) {
            Ok(tz) => {
                tz_error.set(None);
                save.dispatch(UserForUpdate { time_zone: Some(tz), ..Default::default() });
            }
            Err(e) => tz_error.set(Some(field_error_text(i18n, &e))),
        }
    };
    let current = move || to_language(i18n.get_locale());

    view! {
        <div class="card">
            <h2>{t!(i18n, more.profile)}</h2>
            <p class="muted">{t!(i18n, more.signed_in_as, name = user.name.clone())}" · "{user.email.to_string()}</p>
            <fieldset class="field">
                <legend>{t!(i18n, common.language)}</legend>
                <div class="segmented">
                    <label>
                        <input type="radio" name="language" prop:checked=move || current() == Language::En
                            on:change=move |_| choose_language(Language::En)/>
                        <span>{t!(i18n, more.language_en)}</span>
                    </label>
                    <label>
                        <input type="radio" name="language" prop:checked=move || current() == Language::Bn
                            on:change=move |_| choose_language(Language::Bn)/>
                        <span>{t!(i18n, more.language_bn)}</span>
                    </label>
                </div>
            </fieldset>
            <form class="inline-form" on:submit=save_time_zone>
                <label class="field">
                    <span>{t!(i18n, common.time_zone)}</span>
                    <input type="text" name="time_zone" autocomplete="off" aria-describedby="tz-hint"
                        prop:value=time_zone on:input=move |ev| time_zone.set(event_target_value(&ev))/>
                    <small id="tz-hint" class="muted">{t!(i18n, more.time_zone_hint)}</small>
                    <small class="field-error" role="alert">{move || tz_error.get()}</small>
                </label>
                <button type="submit" class="button">{t!(i18n, common.save)}</button>
            </form>
            <p class="saved" role="status">{move || saved.get().then(|| t_string!(i18n, common.saved))}</p>
        </div>
    }
}

/// Change your own password: the current one, the new one; the server's reason when it refuses.
#[component]
fn PasswordCard() -> impl IntoView {
    let i18n = use_i18n();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let errors = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let done = RwSignal::new(false);
    let change = crate::ui::browser_action(move |(c, n): &(String, String)| {
        crate::users::api::change_password(c.clone(), n.clone())
    });
    Effect::new(move || match change.value().get() {
        Some(Ok(())) => {
            done.set(true);
            current.set(String::new());
            new.set(String::new());
        }
        Some(Err(e)) => {
            let mut fields = e.fields.clone();
            if fields.is_empty() {
                let message = match e.code {
                    crate::common::ErrorCode::RateLimited => t_string!(i18n, more.password_too_many).to_string(),
                    crate::common::ErrorCode::Network => t_string!(i18n, common.network).to_string(),
                    _ => t_string!(i18n, common.error).to_string(),
                };
                fields.insert("new_password".into(), message);
            }
            errors.set(fields);
        }
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(false);
        errors.set(Default::default());
        change.dispatch((current.get_untracked(), new.get_untracked()));
    };
    let error = move |field: &'static str| move || errors.with(|e| e.get(field).cloned());
    view! {
        <div class="card">
            <h2>{t!(i18n, more.password_title)}</h2>
            <form class="password-form" on:submit=submit>
                <label class="field">
                    <span>{t!(i18n, more.password_current)}</span>
                    <input type="password" name="current_password" autocomplete="current-password" required
                        prop:value=current on:input=move |ev| current.set(event_target_value(&ev))/>
                    <small class="field-error" role="alert">{error("current_password")}</small>
                </label>
                <label class="field">
                    <span>{t!(i18n, more.password_new)}</span>
                    <input type="password" name="new_password" autocomplete="new-password" required minlength="10"
                        aria-describedby="new-password-hint"
                        prop:value=new on:input=move |ev| new.set(event_target_value(&ev))/>
                    <small id="new-password-hint" class="muted">{t!(i18n, more.password_hint)}</small>
                    <small class="field-error" role="alert">{error("new_password")}</small>
                </label>
                <button type="submit" class="button" disabled=move || change.pending().get()>
                    {t!(i18n, more.password_change)}
                </button>
            </form>
            <p class="saved" role="status">{move || done.get().then(|| t_string!(i18n, more.password_changed))}</p>
        </div>
    }
}
