//! Where the phone is, from the browser's Geolocation API: one fix, waited for at most a few
//! seconds. `None` when the user refused, the device has no fix, or on the server.

use crate::common::GeoPoint;

/// A position and its accuracy radius in metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fix {
    pub position: GeoPoint,
    pub accuracy_m: f64,
}

/// How long to wait for a fix before going on without one.
pub const TIMEOUT_MS: u32 = 8_000;

/// How long a check-in waits for a position in all before it goes ahead without one. The
/// browser's own timeout starts only once the user has answered its question, and a question
/// nobody answers would otherwise hold the check-in for ever.
pub const CHECK_IN_WAIT_MS: u32 = TIMEOUT_MS + 2_000;

/// A fresh fix for a check-in, or None after [`CHECK_IN_WAIT_MS`]: the visit is then recorded
/// without a position (and says so), never left waiting.
#[cfg(feature = "hydrate")]
pub async fn for_check_in() -> Option<Fix> {
    use futures::future::{select, Either};
    let fix = std::pin::pin!(current(0));
    let waited = std::pin::pin!(crate::offline::read::sleep(CHECK_IN_WAIT_MS));
    match select(fix, waited).await {
        Either::Left((fix, _)) => fix,
        Either::Right(((), _)) => None,
    }
}

#[cfg(not(feature = "hydrate"))]
pub async fn for_check_in() -> Option<Fix> {
    None
}

/// Whether the browser gives the position without asking the user first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Permission {
    Granted,
    /// The browser would ask (or cannot tell: no Permissions API).
    Prompt,
    Denied,
}

/// The cookie that remembers, for the server, what this browser last said of geolocation.
const REMEMBERED: &str = "fieldwork_position";

impl Permission {
    fn parse(value: &str) -> Permission {
        match value {
            "granted" => Permission::Granted,
            "denied" => Permission::Denied,
            _ => Permission::Prompt,
        }
    }
}

/// What this browser said last time (a cookie, so the server draws Today as the browser will:
/// "finding you", or the button that asks). A browser never seen would ask.
pub fn remembered() -> Permission {
    #[cfg(feature = "ssr")]
    let cookies = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).map(String::from));
    #[cfg(feature = "hydrate")]
    let cookies = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| js_sys::Reflect::get(&d, &"cookie".into()).ok())
        .and_then(|c| c.as_string());
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    let cookies: Option<String> = None;
    let value = cookies.and_then(|all| {
        all.split(';').find_map(|pair| pair.trim().strip_prefix(REMEMBERED)?.strip_prefix('=').map(String::from))
    });
    value.map_or(Permission::Prompt, |v| Permission::parse(&v))
}

/// Remembers what the browser said, for the next page the server draws.
pub fn remember(permission: Permission) {
    #[cfg(feature = "hydrate")]
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let value = match permission {
            Permission::Granted => "granted",
            Permission::Prompt => "prompt",
            Permission::Denied => "denied",
        };
        let cookie = format!("{REMEMBERED}={value}; path=/; max-age=31536000; samesite=lax");
        let _ = js_sys::Reflect::set(&document, &"cookie".into(), &cookie.into());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = permission;
}

/// What the Permissions API says of geolocation. Asking nothing of the user, it lets a page
/// locate at once when allowed, and otherwise leave the asking to a tap (a prompt on load
/// explains nothing, and is often refused for it).
#[cfg(feature = "hydrate")]
pub async fn permission() -> Permission {
    use wasm_bindgen::JsCast;
    let state = async {
        // Read by name: `navigator.permissions` is not in every browser (nor in web-sys's
        // stable APIs).
        let navigator = web_sys::window()?.navigator();
        let permissions =
            js_sys::Reflect::get(&navigator, &"permissions".into()).ok().filter(wasm_bindgen::JsValue::is_object)?;
        let query: js_sys::Function = js_sys::Reflect::get(&permissions, &"query".into()).ok()?.dyn_into().ok()?;
        let descriptor = js_sys::Object::new();
        js_sys::Reflect::set(&descriptor, &"name".into(), &"geolocation".into()).ok()?;
        let promise: js_sys::Promise = query.call1(&permissions, &descriptor).ok()?.dyn_into().ok()?;
        let status = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
        js_sys::Reflect::get(&status, &"state".into()).ok()?.as_string()
    };
    Permission::parse(state.await.as_deref().unwrap_or_default())
}

#[cfg(not(feature = "hydrate"))]
pub async fn permission() -> Permission {
    Permission::Prompt
}

/// A fix no older than `max_age_ms` (0: a fresh one, as a check-in needs).
#[cfg(feature = "hydrate")]
pub async fn current(max_age_ms: u32) -> Option<Fix> {
    let geolocation = web_sys::window()?.navigator().geolocation().ok()?;
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_timeout(TIMEOUT_MS);
    options.set_maximum_age(max_age_ms);
    // Both callbacks resolve the promise: with the position, or with the error (told apart below).
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let _ = geolocation.get_current_position_with_error_callback_and_options(&resolve, Some(&resolve), &options);
    });
    let value = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    // `GeolocationPosition` is behind web-sys's unstable APIs; read its fields by name.
    let coords = js_sys::Reflect::get(&value, &"coords".into()).ok().filter(wasm_bindgen::JsValue::is_object)?;
    let number = |name: &str| js_sys::Reflect::get(&coords, &name.into()).ok().and_then(|v| v.as_f64());
    let position = GeoPoint::new(number("latitude")?, number("longitude")?).ok()?;
    Some(Fix { position, accuracy_m: number("accuracy").unwrap_or(0.0) })
}

#[cfg(not(feature = "hydrate"))]
pub async fn current(_max_age_ms: u32) -> Option<Fix> {
    None
}
