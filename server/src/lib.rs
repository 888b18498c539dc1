//! Fieldwork's server as a library: `main.rs` parses the command line and calls [`serve`];
//! the integration tests call the same [`router`] on an ephemeral port.
//!
//! Layers: `routes.rs` files (HTTP, one per domain) → `store.rs` files (SQL, scoped by [`Ctx`])
//! → [`db`] (the pool over `SQLite` or `PostgreSQL`). Errors become HTTP answers only in [`error`].

#![forbid(unsafe_code)]
// Rendering the Leptos app on the server computes the layout of deeply nested view types.
#![recursion_limit = "256"]

pub mod act;
pub mod activities;
pub mod api_keys;
pub mod appointments;
pub mod audit;
pub mod auth;
pub mod campaigns;
pub mod config;
pub mod contacts;
pub mod cursor;
pub mod db;
pub mod deals;
pub mod error;
pub mod feedback;
pub mod fields;
pub mod forms;
mod health;
pub mod jobs;
pub mod listings;
pub mod mail;
pub mod notifications;
mod openapi;
pub mod pwa;
pub mod reports;
pub mod scope;
pub mod seed;
mod ssr;
pub mod startup;
pub mod state;
pub mod sync;
pub mod tasks;
pub mod templates;
pub mod territories;
pub mod users;
pub mod views;
pub mod visits;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use std::net::SocketAddr;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

pub use auth::Ctx;
pub use state::AppState;

/// Largest request body the API accepts (imports and photos get their own limits).
const BODY_LIMIT: usize = 1024 * 1024;

/// The whole application: REST API under `/api/v1`, `/healthz`, static assets, and the
/// server-rendered Leptos pages.
pub fn router(state: AppState) -> Router {
    let (api, _doc) = openapi::routes();
    let over_tls = state.settings.secure_cookies;
    let app = Router::new()
        .merge(api)
        // An unknown API path answers in the API's error shape, not with the app's 404 page.
        .route("/api/v1/{*rest}", axum::routing::any(|| async { error::AppError::NotFound }))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .merge(pwa::router())
        .merge(auth::routes::page_router())
        .merge(
            ssr::router(&state)
                .layer(axum::middleware::from_fn_with_state(state.clone(), auth::routes::signed_in_skips_login))
                .layer(SetResponseHeaderLayer::overriding(
                    http::HeaderName::from_static(pwa::BUILD_HEADER),
                    pwa::build_header(&state.build),
                )),
        )
        .with_state(state);
    with_security_headers(app, over_tls).layer(CompressionLayer::new())
}

/// The Content-Security-Policy of every response: never framed by another site, no `<base>`
/// or form posts elsewhere, no plugins. Pages add their `script-src` (see `ssr`).
pub(crate) const BASE_CSP: &str = "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/// Headers every response carries: no MIME sniffing, no referrer leaks to other sites, never
/// framed by another site (clickjacking); served over TLS (`FIELDWORK_SECURE_COOKIES`),
/// browsers are told to use only HTTPS for a year.
fn with_security_headers(router: Router, over_tls: bool) -> Router {
    use http::{header, HeaderValue};
    let router = if over_tls {
        router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ))
    } else {
        router
    };
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(BASE_CSP),
        ))
}

/// Serves until Ctrl-C (or SIGTERM), then lets requests in flight finish.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    match territories::load(state.db.pool()).await {
        Ok(index) => {
            tracing::info!(territories = index.len(), "territory index loaded");
            state.territories.replace(index);
        }
        Err(e) => tracing::error!(error = %e, "territories could not be loaded; records will not be placed"),
    }
    jobs::spawn(state.clone());
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
