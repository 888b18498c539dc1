//! The app shell: the page the service worker keeps so the app opens with no network.
//!
//! The server renders `/app-shell` as the document with an empty body marked
//! [`SHELL_MARKER`]. Offline, the worker answers a navigation to any route with it; the
//! browser then renders that route itself instead of hydrating server HTML it does not have.

use leptos::prelude::*;

pub const SHELL_PATH: &str = "/app-shell";
pub const SHELL_MARKER: &str = "app-shell";

/// The shell's body: a loading state until the browser renders the route asked for.
#[component]
pub fn AppShell() -> impl IntoView {
    view! { <main id=SHELL_MARKER class="centered-page"><crate::ui::Loading/></main> }
}

/// True when the page is the cached shell standing in for another route: its body is
/// cleared, and the caller renders the app instead of hydrating.
pub fn take_over() -> bool {
    #[cfg(feature = "hydrate")]
    {
        let document = document();
        let path = window().location().pathname().unwrap_or_default();
        if document.get_element_by_id(SHELL_MARKER).is_none() || path == SHELL_PATH {
            return false;
        }
        if let Some(body) = document.body() {
            body.set_inner_html("");
        }
        true
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}
