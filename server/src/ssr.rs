//! Server rendering of the Leptos app and the static assets it needs.

use crate::error::AppError;
use crate::state::AppState;
use axum::Router;
use fieldwork_app::appointments::{Today, TodayLookup, TodayLookupContext};
use fieldwork_app::common::ApiError;
use fieldwork_app::session::{SessionLookup, SessionLookupContext};
use fieldwork_app::users::User;
use fieldwork_app::{shell, App};
use leptos::config::LeptosOptions;
use leptos::prelude::{provide_context, use_context, IntoView};
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes, ResponseOptions};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

/// What the pages draw on the server, read for the session cookie of the request being rendered.
/// One is made per request: the frame and the page both ask who is signed in, and the answer
/// (a database read) is looked up once and shared.
#[derive(Clone)]
struct DbLookup(Arc<RequestLookup>);

struct RequestLookup {
    state: AppState,
    ctx: tokio::sync::OnceCell<Option<crate::auth::Ctx>>,
}

impl DbLookup {
    fn new(state: AppState) -> Self {
        Self(Arc::new(RequestLookup { state, ctx: tokio::sync::OnceCell::new() }))
    }

    async fn ctx(&self, headers: http::HeaderMap) -> Option<crate::auth::Ctx> {
        let resolve = || async {
            let (mut parts, ()) = http::Request::new(()).into_parts();
            parts.headers = headers;
            crate::auth::ctx_resolve(&parts, &self.0.state).await.ok().flatten()
        };
        self.0.ctx.get_or_init(resolve).await.clone()
    }
}

impl SessionLookup for DbLookup {
    fn current_user(&self, headers: http::HeaderMap) -> Pin<Box<dyn Future<Output = Option<User>> + Send>> {
        let this = self.clone();
        Box::pin(async move { this.ctx(headers).await.map(|ctx| ctx.user) })
    }
}

impl TodayLookup for DbLookup {
    fn today(&self, headers: http::HeaderMap) -> Pin<Box<dyn Future<Output = Result<Today, ApiError>> + Send>> {
        let this = self.clone();
        Box::pin(async move {
            let ctx = this.ctx(headers).await.ok_or_else(|| AppError::Unauthenticated.into_api_error())?;
            crate::appointments::day::today(&this.0.state, &ctx).await.map_err(AppError::into_api_error)
        })
    }
}

/// The app's routes, listed once per process. Listing runs the app with resource loading
/// suspended process-wide, so a page rendering meanwhile on another server of the same process
/// (the tests run many) would wait for its data forever (leptos-rs/leptos#4773).
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: &AppState) -> Router<AppState> {
    let routes = routes();
    let options = state.leptos.clone();
    let lookup_state = state.clone();
    Router::new()
        .leptos_routes_with_context(
            state,
            routes,
            move || {
                let lookup = DbLookup::new(lookup_state.clone());
                provide_context(SessionLookupContext(Arc::new(lookup.clone())));
                provide_context(TodayLookupContext(Arc::new(lookup)));
            },
            move || page(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(page))
}

/// The app's document, sent with its Content-Security-Policy.
fn page(options: LeptosOptions) -> impl IntoView {
    content_security_policy();
    shell(options)
}

/// The policy every response has, plus scripts: files from this site, and inline ones only
/// with this response's nonce — Leptos puts it on its hydration script and on the scripts that
/// stream resolved data — and compiling the app's WebAssembly. No inline event handlers, no
/// `javascript:` URLs, no injected `<script>`.
fn content_security_policy() {
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<ResponseOptions>()) else {
        return;
    };
    let policy = format!("{}; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'", crate::BASE_CSP);
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
