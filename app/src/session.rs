//! The signed-in user, known to the server while it renders and to the browser after hydration.
//!
//! On the server the session cookie of the request is resolved through [`SessionLookup`],
//! which the server crate provides (so this crate holds no SQL). The result travels to the
//! browser inside the rendered page; later refreshes ask `GET /api/v1/me`.

use crate::users::User;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {
    use crate::users::User;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::Arc;

    /// Resolves the user of a request's cookies. Implemented by the server.
    pub trait SessionLookup: Send + Sync + 'static {
        fn current_user(&self, headers: http::HeaderMap) -> Pin<Box<dyn Future<Output = Option<User>> + Send>>;
    }

    /// The lookup, provided as context for each server-rendered request.
    #[derive(Clone)]
    pub struct SessionLookupContext(pub Arc<dyn SessionLookup>);
}

#[derive(Clone, Copy)]
pub struct Session {
    pub me: Resource<Option<User>>,
}

/// Creates the session resource for the whole app (call once, at the root).
pub fn provide_session() -> Session {
    let me = Resource::new_blocking(
        || (),
        |()| {
            #[cfg(feature = "ssr")]
            {
                let lookup = use_context::<SessionLookupContext>();
                let headers = use_context::<http::request::Parts>().map(|p| p.headers);
                async move {
                    match (lookup, headers) {
                        (Some(lookup), Some(headers)) => lookup.0.current_user(headers).await,
                        _ => None,
                    }
                }
            }
            #[cfg(feature = "hydrate")]
            {
                // The browser is single-threaded; the resource API asks for Send futures.
                send_wrapper::SendWrapper::new(async move {
                    match crate::users::api::me().await {
                        Ok(user) => Some(user),
                        // No network: the user who last signed in on this browser, so the app
                        // opens offline. The server still decides everything once it is reached.
                        Err(e) if e.code == crate::common::ErrorCode::Network => remembered(),
                        Err(_) => None,
                    }
                })
            }
            #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
            {
                async move { None }
            }
        },
    );
    let session = Session { me };
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The signed-in user inside the signed-in frame. Profile changes update it in place, so the
/// page stays as it is (a refetch of the session would rebuild the whole frame).
pub fn current_user() -> RwSignal<User> {
    expect_context::<RwSignal<User>>()
}

const REMEMBERED: &str = "fieldwork.me";

/// Keeps the signed-in user on this browser, for opening the app without a network.
pub fn remember(user: &User) {
    #[cfg(feature = "hydrate")]
    if let (Some(storage), Ok(json)) =
        (web_sys::window().and_then(|w| w.local_storage().ok().flatten()), serde_json::to_string(user))
    {
        let _ = storage.set_item(REMEMBERED, &json);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (user, REMEMBERED);
}

/// Forgets it (signing out).
pub fn forget() {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.remove_item(REMEMBERED);
    }
}

/// The user this browser last signed in (what the app opens with offline).
pub fn device_user() -> Option<User> {
    #[cfg(feature = "hydrate")]
    {
        remembered()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

#[cfg(feature = "hydrate")]
fn remembered() -> Option<User> {
    let storage = web_sys::window()?.local_storage().ok().flatten()?;
    serde_json::from_str(&storage.get_item(REMEMBERED).ok().flatten()?).ok()
}
