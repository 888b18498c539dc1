//! Browser-only work that pages set up while they render, on the server too.

use leptos::prelude::*;
use std::future::Future;

/// An action whose work runs in the browser (a call to the API with the browser's `fetch`,
/// whose future is not `Send`). Use it instead of `Action::new_local`.
///
/// The server renders the page but never dispatches its actions. `Action::new_local` would
/// still wrap the work in a `SendWrapper` there, and the server drops a page's values on
/// whichever worker thread finishes the page: a `SendWrapper` dropped on another thread than
/// its own panics (leptos-rs/leptos#3746). On the server this action holds nothing of the kind.
#[allow(clippy::disallowed_methods)] // the one place `Action::new_local` belongs
pub fn browser_action<I, O, F, Fu>(work: F) -> Action<I, O>
where
    I: Send + Sync + 'static,
    O: Send + Sync + 'static,
    F: Fn(&I) -> Fu + 'static,
    Fu: Future<Output = O> + 'static,
{
    #[cfg(feature = "ssr")]
    {
        drop(work);
        Action::new(|_: &I| std::future::pending())
    }
    #[cfg(not(feature = "ssr"))]
    {
        Action::new_local(work)
    }
}

/// Whether the window matches the media `query` (`(min-width: 1024px)`), following it as the
/// window is resized; false on the server.
pub fn media_matches(query: &'static str) -> Signal<bool> {
    let matches = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        let check =
            move || web_sys::window().and_then(|w| w.match_media(query).ok().flatten()).is_some_and(|m| m.matches());
        matches.set(check());
        let resize = window_event_listener(leptos::ev::resize, move |_| {
            let now = check();
            if now != matches.get_untracked() {
                matches.set(now);
            }
        });
        on_cleanup(move || resize.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = query;
    matches.into()
}

/// Waits `ms` milliseconds in the browser (for polling a server's progress); at once elsewhere.
pub async fn pause(ms: u32) {
    #[cfg(feature = "hydrate")]
    crate::offline::read::sleep(ms).await;
    #[cfg(not(feature = "hydrate"))]
    let _ = ms;
}
