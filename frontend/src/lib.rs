//! Browser entry point: hydrate the HTML the server rendered — or, when the service worker
//! answered a navigation with the cached app shell (offline), render the page in the browser.
//! Everything else lives in `app`.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    if fieldwork_app::offline::shell::take_over() {
        leptos::mount::mount_to_body(fieldwork_app::App);
    } else {
        // The pages are lazily loaded chunks: hydration waits for the chunk of the page shown.
        leptos::mount::hydrate_lazy(fieldwork_app::App);
    }
}
