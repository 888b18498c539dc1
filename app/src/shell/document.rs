use super::layout::AppLayout;
use crate::api_keys::components::ApiKeysPage;
use crate::appointments::components::{CalendarPage, TodayPage};
use crate::contacts::components::{
    ContactPage, ContactsPage, DuplicatesPage, EditContactPage, ImportPage, NewContactPage,
};
use crate::deals::components::PipelinePage;
use crate::i18n::*;
use crate::listings::components::{EditListingPage, ListingPage, ListingsPage, NewListingPage, SharedListingPage};
use crate::session::provide_session;
use crate::tasks::components::TasksPage;
use crate::territories::components::TerritoriesPage;
use crate::users::components::{LoginPage, MorePage, UsersPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes, A};
use leptos_router::{path, SsrMode};

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="color-scheme" content="light dark"/>
                <meta name="theme-color" content="#0f766e"/>
                <meta name="description" content="Fieldwork: the field-sales CRM that works offline."/>
                <link rel="icon" href="/icon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// A year, in the milliseconds the cookie options take.
const YEAR_MS: i64 = 365 * 24 * 60 * 60 * 1000;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The language cookie is site-wide and outlives the browser session, like the one the server
    // sets from the profile at sign-in.
    let cookie = leptos_i18n::context::CookieOptions::<Locale>::default().path("/".to_string()).max_age(YEAR_MS);
    view! {
        <I18nContextProvider cookie_options=cookie>
            <Stylesheet id="leptos" href="/pkg/fieldwork.css"/>
            <Title text="Fieldwork"/>
            <Pages/>
        </I18nContextProvider>
    }
}

/// Signed-in pages render in `SsrMode::Async`: the session is resolved before the response
/// starts, so a stranger gets a real redirect to `/login` rather than a page that moves later.
#[component]
fn Pages() -> impl IntoView {
    provide_session();
    // Lets end-to-end tests (and curious people) see that the page is interactive.
    Effect::new(|| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/share/:token") view=SharedListingPage/>
                <Route path=path!("/feedback/:token") view=crate::feedback::components::SurveyPage/>
                <Route path=path!("/unsubscribe/:token") view=crate::campaigns::components::UnsubscribePage/>
                <Route path=path!("/app-shell") view=crate::offline::shell::AppShell/>
                <ParentRoute path=path!("") view=AppLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=TodayPage/>
                    <Route path=path!("contacts") view=ContactsPage/>
                    <Route path=path!("contacts/new") view=NewContactPage/>
                    <Route path=path!("contacts/import") view=ImportPage/>
                    <Route path=path!("contacts/duplicates") view=DuplicatesPage/>
                    <Route path=path!("contacts/:id") view=ContactPage/>
                    <Route path=path!("contacts/:id/edit") view=EditContactPage/>
                    <Route path=path!("pipeline") view=PipelinePage/>
                    <Route path=path!("tasks") view=TasksPage/>
                    <Route path=path!("territories") view=TerritoriesPage/>
                    <Route path=path!("listings") view=ListingsPage/>
                    <Route path=path!("listings/new") view=NewListingPage/>
                    <Route path=path!("listings/:id") view=ListingPage/>
                    <Route path=path!("listings/:id/edit") view=EditListingPage/>
                    <Route path=path!("calendar") view=CalendarPage/>
                    <Route path=path!("more") view=MorePage/>
                    <Route path=path!("admin/users") view=UsersPage/>
                    <Route path=path!("admin/api-keys") view=ApiKeysPage/>
                    <Route path=path!("admin/forms") view=crate::forms::components::FormsPage/>
                    <Route path=path!("templates") view=crate::templates::components::TemplatesPage/>
                    <Route path=path!("campaigns") view=crate::campaigns::components::CampaignsPage/>
                    <Route path=path!("dashboard") view=crate::reports::components::DashboardPage/>
                    <Route path=path!("reports") view=crate::reports::components::ReportsPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main class="centered-page" id="main">
            <h1>{t!(i18n, not_found.title)}</h1>
            <A href="/" attr:class="button primary">{t!(i18n, not_found.back)}</A>
        </main>
    }
}
