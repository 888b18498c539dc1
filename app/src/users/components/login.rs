//! The sign-in page.

use crate::common::ErrorCode;
use crate::i18n::*;
use crate::locale::to_locale;
use crate::session::use_session;
use crate::users::LoginRefusal;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The server renders this page as plain HTML (see `shell::PLAIN_PAGES`): its form posts to
/// `POST /login`, which answers a refusal with this page again and `?error=…&email=…`. Inside
/// the running app (after signing out) the same form signs in through the API instead.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map().get_untracked();
    let typed = query.get("email").unwrap_or_default();
    let refused = query.get("error").and_then(|e| LoginRefusal::parse(&e)).map(|r| match r {
        LoginRefusal::Wrong => ErrorCode::Unauthenticated,
        LoginRefusal::Throttled => ErrorCode::RateLimited,
    });
    let email = RwSignal::new(typed.clone());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(refused);
    let login =
        crate::ui::browser_action(move |(e, p): &(String, String)| crate::users::api::login(e.clone(), p.clone()));

    // Already signed in (e.g. the back button): go to Today.
    Effect::new({
        let navigate = navigate.clone();
        move || {
            if let Some(Some(_)) = session.me.get() {
                navigate("/", Default::default());
            }
        }
    });
    Effect::new(move || match login.value().get() {
        Some(Ok(user)) => {
            i18n.set_locale(to_locale(user.language));
            session.me.refetch();
        }
        Some(Err(e)) => error.set(Some(e.code)),
        None => {}
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        login.dispatch((email.get_untracked(), password.get_untracked()));
    };
    let message = move || {
        error.get().map(|code| match code {
            ErrorCode::RateLimited => t_string!(i18n, login.throttled),
            ErrorCode::Network => t_string!(i18n, login.network),
            ErrorCode::Unauthenticated | ErrorCode::Validation | ErrorCode::BadRequest => t_string!(i18n, login.wrong),
            _ => t_string!(i18n, common.error),
        })
    };
    let pending = login.pending();

    view! {
        <main class="login-page" id="main">
            <div class="login-card">
                <div class="brand large"><span class="brand-mark" aria-hidden="true">"F"</span>{t!(i18n, app_name)}</div>
                <p class="tagline">{t!(i18n, tagline)}</p>
                <h1>{t!(i18n, login.title)}</h1>
                <p class="muted">{t!(i18n, login.subtitle)}</p>
                <form on:submit=on_submit method="post" action="/login">
                    <label class="field">
                        <span>{t!(i18n, login.email)}</span>
                        <input type="email" name="email" autocomplete="username" required=true inputmode="email"
                            value=typed prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
                    </label>
                    <label class="field">
                        <span>{t!(i18n, login.password)}</span>
                        <input type="password" name="password" autocomplete="current-password" required=true
                            prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                    </label>
                    <p class="form-error" role="alert" aria-live="assertive">{message}</p>
                    <button type="submit" class="button primary block" disabled=move || pending.get()>
                        {move || if pending.get() { t_string!(i18n, login.submitting) } else { t_string!(i18n, login.submit) }}
                    </button>
                </form>
                <LanguageToggle/>
            </div>
        </main>
    }
}

/// Switches the interface language before signing in (after, it is saved on the profile). As
/// plain HTML the buttons post to `POST /login/language`, which keeps the choice in the
/// language cookie; in the running app they switch at once.
#[component]
fn LanguageToggle() -> impl IntoView {
    let i18n = use_i18n();
    let choose = move |ev: leptos::ev::MouseEvent, locale: Locale| {
        ev.prevent_default();
        i18n.set_locale(locale);
    };
    view! {
        <form class="language-form" method="post" action="/login/language">
            <div class="language-toggle" role="group" aria-label=move || t_string!(i18n, common.language)>
                <button type="submit" name="lang" value="en" lang="en" aria-pressed=move || (i18n.get_locale() == Locale::en).to_string()
                    on:click=move |ev| choose(ev, Locale::en)>"English"</button>
                <button type="submit" name="lang" value="bn" lang="bn" aria-pressed=move || (i18n.get_locale() == Locale::bn).to_string()
                    on:click=move |ev| choose(ev, Locale::bn)>"বাংলা"</button>
            </div>
        </form>
    }
}
