//! The frame of every signed-in page: sidebar on desktop, bottom tab bar on phones.

use super::nav::{self, Entry};
use crate::i18n::*;
use crate::notifications::components::Bell;
use crate::offline::components::{SignOutDialog, SyncStatus, UpdateBanner};
use crate::session::use_session;
use crate::ui::{role_label, Icon, Loading};
use crate::users::User;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};

/// Renders its child route for a signed-in user; sends everyone else to the sign-in page.
#[component]
pub fn AppLayout() -> impl IntoView {
    let session = use_session();
    view! {
        <Transition fallback=Loading>
            {move || session.me.get().map(|me| match me {
                Some(user) => view! { <Frame user/> }.into_any(),
                None => view! { <Redirect path="/login"/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Frame(user: User) -> impl IntoView {
    let i18n = use_i18n();
    provide_context(RwSignal::new(user.clone()));
    // The page says its language when the server rendered it; the cached shell (offline) does
    // not know whose it is: the user's own language then.
    #[cfg(feature = "hydrate")]
    if i18n.get_locale_untracked() != crate::locale::to_locale(user.language) {
        i18n.set_locale(crate::locale::to_locale(user.language));
    }
    crate::session::remember(&user);
    crate::offline::engine::start(user.id);
    provide_context(crate::offline::components::SignOutRequest(RwSignal::new(false)));
    let initials: String = user.name.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect();
    view! {
        <div class="app">
            <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
            <aside class="sidebar">
                <div class="brand"><span class="brand-mark" aria-hidden="true">"F"</span>{t!(i18n, app_name)}</div>
                <SyncStatus/>
                <nav aria-label=move || t_string!(i18n, nav.main)>
                    <ul>
                        {nav::sidebar(user.role).into_iter().map(|e| view! { <li><NavLink entry=e/></li> }).collect_view()}
                    </ul>
                </nav>
                <div class="sidebar-user">
                    <span class="avatar" aria-hidden="true">{initials.clone()}</span>
                    <span class="who">
                        <strong>{user.name.clone()}</strong>
                        <small>{move || role_label(i18n, user.role)}</small>
                    </span>
                    <Bell/>
                    <button class="icon-button" on:click=move |_| crate::offline::components::request_sign_out() aria-label=move || t_string!(i18n, common.sign_out)
                        title=move || t_string!(i18n, common.sign_out)>
                        <Icon name="logout" size=20/>
                    </button>
                </div>
            </aside>
            <header class="topbar">
                <div class="brand"><span class="brand-mark" aria-hidden="true">"F"</span>{t!(i18n, app_name)}</div>
                <SyncStatus/>
                <Bell/>
                <A href="/more" attr:class="avatar" attr:aria-label=move || t_string!(i18n, more.profile)>{initials}</A>
            </header>
            <main id="main" tabindex="-1">
                <UpdateBanner/>
                <Outlet/>
            </main>
            <SignOutDialog/>
            <nav class="tabbar" aria-label=move || t_string!(i18n, nav.main)>
                {nav::TABS.into_iter().map(|e| view! { <NavLink entry=e/> }).collect_view()}
            </nav>
        </div>
    }
}

#[component]
fn NavLink(entry: Entry) -> impl IntoView {
    let i18n = use_i18n();
    let label = move || match entry {
        Entry::Today => t_string!(i18n, nav.today),
        Entry::Contacts => t_string!(i18n, nav.contacts),
        Entry::Listings => t_string!(i18n, nav.listings),
        Entry::Calendar => t_string!(i18n, nav.calendar),
        Entry::Pipeline => t_string!(i18n, nav.pipeline),
        Entry::Tasks => t_string!(i18n, nav.tasks),
        Entry::Territories => t_string!(i18n, nav.territories),
        Entry::More => t_string!(i18n, nav.more),
        Entry::Users => t_string!(i18n, nav.users),
        Entry::ApiKeys => t_string!(i18n, nav.api_keys),
        Entry::Forms => t_string!(i18n, nav.forms),
        Entry::Fields => t_string!(i18n, nav.fields),
        Entry::Templates => t_string!(i18n, nav.templates),
        Entry::Campaigns => t_string!(i18n, nav.campaigns),
        Entry::Dashboard => t_string!(i18n, nav.dashboard),
        Entry::Reports => t_string!(i18n, nav.reports),
    };
    view! {
        <A href=entry.href() attr:class="nav-link" exact=true>
            <Icon name=entry.icon()/>
            <span>{label}</span>
        </A>
    }
}
