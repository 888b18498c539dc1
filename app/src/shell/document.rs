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
use leptos::lazy;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes, A};
use leptos_router::{path, Lazy, LazyRoute, SsrMode};

/// Pages served as plain HTML, without the app's scripts: the sign-in page's form posts
/// natively (`POST /login`), so a new phone downloads only HTML and CSS to sign in, and the app
/// itself on Today. (Reached inside the running app — after signing out — it renders as any page.)
#[cfg(feature = "ssr")]
pub const PLAIN_PAGES: [&str; 1] = ["/login"];

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let plain = use_context::<http::request::Parts>().is_some_and(|p| PLAIN_PAGES.contains(&p.uri.path()));
    #[cfg(not(feature = "ssr"))]
    let plain = false;
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
                {(!plain).then(|| view! { <HydrationScripts options/> })}
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
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()}/>
                <Route path=path!("/share/:token") view={Lazy::<SharedListingRoute>::new()}/>
                <Route path=path!("/feedback/:token") view={Lazy::<SurveyRoute>::new()}/>
                <Route path=path!("/unsubscribe/:token") view={Lazy::<UnsubscribeRoute>::new()}/>
                <Route path=path!("/app-shell") view=crate::offline::shell::AppShell/>
                <ParentRoute path=path!("") view=AppLayout ssr=SsrMode::Async>
                    <Route path=path!("") view={Lazy::<TodayRoute>::new()}/>
                    <Route path=path!("contacts") view={Lazy::<ContactsRoute>::new()}/>
                    <Route path=path!("contacts/new") view={Lazy::<NewContactRoute>::new()}/>
                    <Route path=path!("contacts/import") view={Lazy::<ImportRoute>::new()}/>
                    <Route path=path!("contacts/duplicates") view={Lazy::<DuplicatesRoute>::new()}/>
                    <Route path=path!("contacts/:id") view={Lazy::<ContactRoute>::new()}/>
                    <Route path=path!("contacts/:id/edit") view={Lazy::<EditContactRoute>::new()}/>
                    <Route path=path!("pipeline") view={Lazy::<PipelineRoute>::new()}/>
                    <Route path=path!("tasks") view={Lazy::<TasksRoute>::new()}/>
                    <Route path=path!("territories") view={Lazy::<TerritoriesRoute>::new()}/>
                    <Route path=path!("listings") view={Lazy::<ListingsRoute>::new()}/>
                    <Route path=path!("listings/new") view={Lazy::<NewListingRoute>::new()}/>
                    <Route path=path!("listings/:id") view={Lazy::<ListingRoute>::new()}/>
                    <Route path=path!("listings/:id/edit") view={Lazy::<EditListingRoute>::new()}/>
                    <Route path=path!("calendar") view={Lazy::<CalendarRoute>::new()}/>
                    <Route path=path!("more") view={Lazy::<MoreRoute>::new()}/>
                    <Route path=path!("admin/users") view={Lazy::<UsersRoute>::new()}/>
                    <Route path=path!("admin/api-keys") view={Lazy::<ApiKeysRoute>::new()}/>
                    <Route path=path!("admin/forms") view={Lazy::<FormsRoute>::new()}/>
                    <Route path=path!("admin/fields") view={Lazy::<FieldsRoute>::new()}/>
                    <Route path=path!("templates") view={Lazy::<TemplatesRoute>::new()}/>
                    <Route path=path!("campaigns") view={Lazy::<CampaignsRoute>::new()}/>
                    <Route path=path!("dashboard") view={Lazy::<DashboardRoute>::new()}/>
                    <Route path=path!("reports") view={Lazy::<ReportsRoute>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Route-level code splitting (`cargo leptos build --split`): the pages come in a few groups,
/// each a lazily loaded part of the wasm, so the first screen downloads the frame and its own
/// group, and the rest when first opened. The service worker precaches every part, so every
/// page opens offline too. Groups, not one part per page: the splitter puts the code two parts
/// share in a part of its own, and with a part per page that made some 880 files — hundreds of
/// requests for one screen.
///
/// Per group: which page to show, one lazy function that shows it (the split point; `$preload`
/// is the loader `#[lazy]` makes for it, which hydration awaits), and a route per page. The
/// page renders untracked, as a component in `view!` does: the lazy view runs inside a
/// `Suspend`, which would otherwise re-render the page on every signal its set-up reads.
macro_rules! page_groups {
    ($($group:ident($which:ident, $preload:ident) { $($route:ident => $page:path),+ $(,)? })+) => {$(
        #[derive(Clone, Copy)]
        #[allow(clippy::enum_variant_names)]
        enum $which { $($route),+ }

        #[lazy]
        fn $group(which: $which) -> AnyView {
            match which {
                $($which::$route => untrack(|| $page().into_any()),)+
            }
        }

        $(
            struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                async fn view(_this: Self) -> AnyView {
                    $group($which::$route).await
                }

                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )+
    )+};
}

page_groups! {
    // A rep's first screen, on its own so that it downloads nothing else.
    today_pages(TodayGroup, __preload_today_pages) {
        TodayRoute => TodayPage,
    }
    // Signed out: the sign-in page and the links sent to customers.
    public_pages(PublicGroup, __preload_public_pages) {
        LoginRoute => LoginPage,
        SharedListingRoute => SharedListingPage,
        SurveyRoute => crate::feedback::components::SurveyPage,
        UnsubscribeRoute => crate::campaigns::components::UnsubscribePage,
    }
    people_pages(PeopleGroup, __preload_people_pages) {
        ContactsRoute => ContactsPage,
        ContactRoute => ContactPage,
        NewContactRoute => NewContactPage,
        EditContactRoute => EditContactPage,
        DuplicatesRoute => DuplicatesPage,
        ImportRoute => ImportPage,
    }
    day_pages(DayGroup, __preload_day_pages) {
        CalendarRoute => CalendarPage,
        TasksRoute => TasksPage,
        PipelineRoute => PipelinePage,
        MoreRoute => MorePage,
    }
    listing_pages(ListingGroup, __preload_listing_pages) {
        ListingsRoute => ListingsPage,
        ListingRoute => ListingPage,
        NewListingRoute => NewListingPage,
        EditListingRoute => EditListingPage,
    }
    office_pages(OfficeGroup, __preload_office_pages) {
        TerritoriesRoute => TerritoriesPage,
        DashboardRoute => crate::reports::components::DashboardPage,
        ReportsRoute => crate::reports::components::ReportsPage,
        UsersRoute => UsersPage,
        ApiKeysRoute => ApiKeysPage,
        FormsRoute => crate::forms::components::FormsPage,
        FieldsRoute => crate::fields::components::FieldsPage,
        TemplatesRoute => crate::templates::components::TemplatesPage,
        CampaignsRoute => crate::campaigns::components::CampaignsPage,
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
