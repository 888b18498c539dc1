pub mod api;
pub mod components;
pub mod grid;
pub mod local;
pub mod model;
pub mod route;
pub mod today;

pub use model::*;

#[cfg(feature = "ssr")]
pub use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {
    use super::Today;
    use crate::common::ApiError;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::Arc;

    /// The day of the user whose request is being rendered (`GET /today`'s answer), so that
    /// Today arrives drawn rather than waiting for the app's code. Implemented by the server
    /// (this crate holds no SQL); the API's error when it cannot (no valid session, say).
    pub trait TodayLookup: Send + Sync + 'static {
        fn today(&self, headers: http::HeaderMap) -> Pin<Box<dyn Future<Output = Result<Today, ApiError>> + Send>>;
    }

    /// The lookup, provided as context for each server-rendered request.
    #[derive(Clone)]
    pub struct TodayLookupContext(pub Arc<dyn TodayLookup>);
}
