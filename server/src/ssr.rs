//! Server rendering of the Leptos app and the static assets it needs.

use crate::error::AppError;
use crate::state::AppState;
use axum::response::IntoResponse;
use axum::Router;
use fieldwork_app::appointments::{Today, TodayLookup, TodayLookupContext};
use fieldwork_app::common::ApiError;
use fieldwork_app::session::{SessionLookup, SessionLookupContext};
use fieldwork_app::users::User;
use fieldwork_app::{shell, App};
use futures::StreamExt;
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
        .layer(axum::middleware::from_fn(render_to_the_end))
}

/// A page is rendered to its end even when the browser stops waiting for it (a rep taps
/// another link while the page loads). Cancelling a render midway disposes of the page's
/// reactive owner while its data loads are still running; when one finishes, it wakes parts of
/// the page that no longer exist, and the server's worker panics ("you tried to access a
/// reactive value … but it has already been disposed", "I18n context is missing"). So the
/// render runs in a task of its own that a gone browser cannot cancel, and a second task drives
/// each HTML body to its end, handing its chunks on for as long as the browser listens.
///
/// Both run on one thread of the render pool, with every task the page spawns (Leptos spawns
/// its effects and data loads with `tokio::spawn`, which stays on the thread's own runtime).
/// On the shared multi-threaded runtime, an effect could run on one worker while the page's
/// end disposed of what it reads on another: the language context's first run reads its
/// locale signal, and a page that finished quickly panicked there now and then. On one thread
/// the page's end and its effects take turns, and a disposed effect never runs again.
async fn render_to_the_end(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    match render_pool().spawn_pinned(move || async move { keep_reading(next.run(request).await) }).await {
        Ok(response) => response,
        Err(failed) => {
            tracing::error!(error = %failed, "rendering a page failed");
            http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The threads pages render on, one runtime each: as many as the machine has cores.
fn render_pool() -> &'static tokio_util::task::LocalPoolHandle {
    static POOL: OnceLock<tokio_util::task::LocalPoolHandle> = OnceLock::new();
    POOL.get_or_init(|| {
        let threads = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        tokio_util::task::LocalPoolHandle::new(threads)
    })
}

/// `response` with an HTML body read to its end by a task of its own, whoever reads the copy.
fn keep_reading(response: axum::response::Response) -> axum::response::Response {
    let html = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html {
        return response;
    }
    let (parts, body) = response.into_parts();
    let (to_browser, chunks) = tokio::sync::mpsc::channel(8);
    tokio::spawn(async move {
        let mut body = body.into_data_stream();
        let mut listening = true;
        while let Some(chunk) = body.next().await {
            listening = listening && to_browser.send(chunk).await.is_ok();
        }
    });
    // Fused: the compression layer polls a body once more after its end.
    let stream =
        futures::stream::unfold(chunks, |mut chunks| async move { chunks.recv().await.map(|c| (c, chunks)) }).fuse();
    axum::response::Response::from_parts(parts, axum::body::Body::from_stream(stream))
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
