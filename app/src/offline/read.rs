//! Reading with or without a network: the server while it answers quickly, otherwise (offline,
//! a dead connection, a record the server has not received yet) what this device holds.

use super::local;
use crate::common::{ApiError, ErrorCode};
use std::future::Future;

/// How long a page waits for the server before it shows what the device holds.
pub const NETWORK_WAIT_MS: u32 = 3_000;

/// The server's answer, or — offline, after [`NETWORK_WAIT_MS`], or when the server does not
/// have it — the local one (`Ok(None)` from `local` means "nothing here either").
pub async fn read_through<T, N, L>(network: N, local: L) -> Result<T, ApiError>
where
    N: Future<Output = Result<T, ApiError>>,
    L: Future<Output = Option<T>>,
{
    if !local::online() {
        return local.await.ok_or_else(|| ApiError::new(ErrorCode::Network, "offline"));
    }
    match with_timeout(network, NETWORK_WAIT_MS).await {
        Ok(found) => Ok(found),
        Err(e) if matches!(e.code, ErrorCode::Network | ErrorCode::NotFound) => match local.await {
            Some(found) => Ok(found),
            None => Err(e),
        },
        Err(e) => Err(e),
    }
}

/// `future`, or a network error after `ms` (browser only; elsewhere just `future`).
pub async fn with_timeout<T>(future: impl Future<Output = Result<T, ApiError>>, ms: u32) -> Result<T, ApiError> {
    #[cfg(feature = "hydrate")]
    {
        use futures::future::{select, Either};
        let timer = std::pin::pin!(sleep(ms));
        let future = std::pin::pin!(future);
        match select(future, timer).await {
            Either::Left((found, _)) => found,
            Either::Right(((), _)) => Err(ApiError::new(ErrorCode::Network, "the server did not answer in time")),
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ms;
        future.await
    }
}

#[cfg(feature = "hydrate")]
pub(crate) async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, i32::try_from(ms).unwrap_or(i32::MAX));
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
