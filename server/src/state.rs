//! What every request handler may reach: the database, the settings, and the few services the
//! process keeps (the territory index, the mailer, running imports, rate limits). Made once by
//! `main.rs` (or the test harness) after [`crate::startup::prepare`], and cloned per request.

use crate::config::Settings;
use crate::db::Db;
use crate::{contacts, forms, mail, pwa, territories};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// Everything a request handler may need. Cheap to clone.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub leptos: LeptosOptions,
    /// CSV imports running or finished in this process.
    pub imports: contacts::import::Imports,
    /// The territory index that places contacts and listings (loaded by [`serve`]).
    pub territories: territories::Shared,
    /// The browser app's files, for the service worker.
    pub build: Arc<pwa::Build>,
    /// Where email goes (the `.eml` folder or SMTP).
    pub mailer: Arc<mail::worker::Mailer>,
    /// Posts per address to the public lead-capture forms.
    pub form_limiter: forms::Limiter,
    /// Turns to read a page of a first sync (see `sync::routes::pull`).
    pub snapshot_turns: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    pub fn new(db: Db, settings: Settings) -> AppState {
        let leptos = LeptosOptions::builder()
            .output_name("fieldwork")
            .site_root(settings.site_root.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .site_addr(settings.addr)
            .build();
        let build = Arc::new(pwa::Build::scan(&settings.site_root));
        let mailer = Arc::new(mail::worker::Mailer {
            // The SMTP URL was checked when the settings were read; a bad one cannot get here.
            transport: mail::transport::Transport::from_settings(&settings)
                .unwrap_or_else(|_| mail::transport::Transport::Files(settings.mail_dir.clone())),
            from: settings.mail_from.clone(),
        });
        let form_limiter = forms::Limiter::per_minute(settings.form_rate_per_minute);
        // Half the pool: the other half stays free for everything else while devices start over.
        let snapshot_turns =
            Arc::new(tokio::sync::Semaphore::new((db.pool().options().get_max_connections() / 2).max(1) as usize));
        AppState {
            snapshot_turns,
            db,
            build,
            mailer,
            form_limiter,
            settings: Arc::new(settings),
            leptos,
            imports: Default::default(),
            territories: Default::default(),
        }
    }
}
