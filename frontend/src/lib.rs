//! Browser entry point: hydrate the HTML the server rendered. Everything else lives in `app`.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(fieldwork_app::App);
}
