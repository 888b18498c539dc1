//! The browser's typed client for the REST API: the same Rust types as the server, never
//! hand-written JSON. Errors arrive as [`ApiError`] so screens branch on the code.
//!
//! Data screens load in the browser (and, with the offline store, from `IndexedDB` first), so
//! these calls only run under `hydrate`; in the server build they report that no network
//! call is possible there, and are never awaited by server rendering.

use crate::common::{ApiError, ErrorCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub const API: &str = "/api/v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    request::<(), T>(Method::Get, path, None).await
}

pub async fn send<B: Serialize, T: DeserializeOwned>(method: Method, path: &str, body: &B) -> Result<T, ApiError> {
    request(method, path, Some(body)).await
}

/// For answers without a body (204).
pub async fn send_empty<B: Serialize>(method: Method, path: &str, body: Option<&B>) -> Result<(), ApiError> {
    request::<B, serde_json::Value>(method, path, body).await.map(|_| ())
}

#[cfg(feature = "hydrate")]
async fn request<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Option<&B>,
) -> Result<T, ApiError> {
    use gloo_net::http::{Request, RequestBuilder};
    let url = format!("{API}{path}");
    let builder: RequestBuilder = match method {
        Method::Get => Request::get(&url),
        Method::Post => Request::post(&url),
        Method::Patch => Request::patch(&url),
        Method::Put => Request::put(&url),
        Method::Delete => Request::delete(&url),
    };
    let network = |e: gloo_net::Error| ApiError::new(ErrorCode::Network, e.to_string());
    let response = match body {
        Some(b) => builder.json(b).map_err(network)?.send().await,
        None => builder.send().await,
    }
    .map_err(network)?;
    let status = response.status();
    if (200..300).contains(&status) {
        let text = response.text().await.map_err(network)?;
        let text = if text.is_empty() { "null" } else { &text };
        return serde_json::from_str(text).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()));
    }
    match response.json::<crate::common::ErrorBody>().await {
        Ok(body) => Err(body.error),
        Err(_) => Err(ApiError::new(
            if status == 401 { ErrorCode::Unauthenticated } else { ErrorCode::Internal },
            format!("HTTP {status}"),
        )),
    }
}

/// POSTs a body the browser already holds (text, a `File`) with its content type.
#[cfg(feature = "hydrate")]
pub async fn post_raw<T: DeserializeOwned>(
    path: &str,
    body: impl Into<wasm_bindgen::JsValue>,
    content_type: &str,
) -> Result<T, ApiError> {
    let network = |e: gloo_net::Error| ApiError::new(ErrorCode::Network, e.to_string());
    let response = gloo_net::http::Request::post(&format!("{API}{path}"))
        .header("content-type", content_type)
        .body(body)
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    if (200..300).contains(&response.status()) {
        return response.json().await.map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()));
    }
    match response.json::<crate::common::ErrorBody>().await {
        Ok(body) => Err(body.error),
        Err(_) => Err(ApiError::new(ErrorCode::Internal, format!("HTTP {}", response.status()))),
    }
}

#[cfg(not(feature = "hydrate"))]
// the same signature as the browser build
async fn request<B: Serialize, T: DeserializeOwned>(
    _method: Method,
    _path: &str,
    _body: Option<&B>,
) -> Result<T, ApiError> {
    Err(ApiError::new(ErrorCode::Network, "the API client runs in the browser only"))
}

/// `?a=1&b=x` with each value percent-encoded.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let encoded: Vec<String> =
        pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", encode(v))).collect();
    if encoded.is_empty() {
        String::new()
    } else {
        format!("?{}", encoded.join("&"))
    }
}

pub fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_strings_encode_values_and_skip_empty_ones() {
        assert_eq!(
            super::query(&[("from", "2026-11-23T00:00:00+06:00"), ("assignee", "")]),
            "?from=2026-11-23T00%3A00%3A00%2B06%3A00"
        );
        assert_eq!(super::query(&[]), "");
    }
}
