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
