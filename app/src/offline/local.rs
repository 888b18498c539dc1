//! Typed access to the local store (`IndexedDB`, through `app/js/offline.js`). Records are kept
//! in their REST shape, so the pages read them with the same types as the API's answers.

use crate::common::UserId;
use crate::sync::{Change, Entity, Mutation};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocalError {
    #[error("this browser keeps no local data here")]
    Unavailable,
    #[error("the local store failed: {0}")]
    Failed(String),
}

pub type LocalResult<T> = Result<T, LocalError>;

/// How much the site stores, and whether the browser promised to keep it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
pub struct StorageInfo {
    pub usage: Option<f64>,
    pub quota: Option<f64>,
    pub persisted: bool,
}

#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/js/offline.js")]
    extern "C" {
        #[wasm_bindgen(catch, js_name = getAll)]
        pub async fn get_all(entity: &str) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch)]
        pub async fn get(entity: &str, id: &str) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch, js_name = getMeta)]
        pub async fn get_meta(key: &str) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch, js_name = setMeta)]
        pub async fn set_meta(key: &str, value: &str) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch)]
        pub async fn write(
            user: &str,
            entity: &str,
            id: &str,
            overlay: &str,
            mutation: &str,
        ) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch)]
        pub async fn outbox(user: &str) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch)]
        pub async fn waiting() -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch)]
        pub async fn apply(user: &str, changes: &str, acked: f64, reset: bool, meta: &str) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch)]
        pub async fn wipe(with_outbox: bool) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch)]
        pub async fn storage() -> Result<JsValue, JsValue>;
        #[wasm_bindgen(catch)]
        pub async fn persist() -> Result<JsValue, JsValue>;
        pub fn online() -> bool;
        #[wasm_bindgen(js_name = onNetwork)]
        pub fn on_network(callback: &Closure<dyn FnMut(bool)>);
        #[wasm_bindgen(js_name = registerWorker)]
        pub fn register_worker(on_update: &Closure<dyn FnMut()>);
        #[wasm_bindgen(js_name = applyUpdate)]
        pub fn apply_update();
        #[wasm_bindgen(js_name = requestBackgroundSync)]
        pub fn request_background_sync();
        #[wasm_bindgen(js_name = onWorkerSync)]
        pub fn on_worker_sync(callback: &Closure<dyn FnMut()>);
    }
}

#[cfg(feature = "hydrate")]
pub(crate) use js::{apply_update, on_network, on_worker_sync, register_worker, request_background_sync};

#[cfg(feature = "hydrate")]
fn failed(e: wasm_bindgen::JsValue) -> LocalError {
    LocalError::Failed(e.as_string().or_else(|| js_sys::JSON::stringify(&e).ok().map(String::from)).unwrap_or_default())
}

#[cfg(feature = "hydrate")]
fn text(v: wasm_bindgen::JsValue) -> Option<String> {
    v.as_string()
}

#[cfg(feature = "hydrate")]
fn parse<T: DeserializeOwned>(raw: &str) -> LocalResult<T> {
    serde_json::from_str(raw).map_err(|e| LocalError::Failed(e.to_string()))
}

/// Every record of `entity` (records that no longer parse are skipped, not fatal).
pub async fn all<T: DeserializeOwned>(entity: Entity) -> LocalResult<Vec<T>> {
    #[cfg(feature = "hydrate")]
    {
        let raw = text(js::get_all(entity.as_str()).await.map_err(failed)?).unwrap_or_default();
        let values: Vec<serde_json::Value> = parse(&raw)?;
        Ok(values.into_iter().filter_map(|v| serde_json::from_value(v).ok()).collect())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = entity;
        Err(LocalError::Unavailable)
    }
}

pub async fn one<T: DeserializeOwned>(entity: Entity, id: &str) -> LocalResult<Option<T>> {
    #[cfg(feature = "hydrate")]
    {
        match text(js::get(entity.as_str(), id).await.map_err(failed)?) {
            Some(raw) => Ok(serde_json::from_str(&raw).ok()),
            None => Ok(None),
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (entity, id);
        Err(LocalError::Unavailable)
    }
}

pub async fn meta(key: &str) -> LocalResult<Option<String>> {
    #[cfg(feature = "hydrate")]
    {
        Ok(text(js::get_meta(key).await.map_err(failed)?))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        Err(LocalError::Unavailable)
    }
}

pub async fn set_meta(key: &str, value: &str) -> LocalResult<()> {
    #[cfg(feature = "hydrate")]
    {
        js::set_meta(key, value).await.map_err(failed).map(|_| ())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (key, value);
        Err(LocalError::Unavailable)
    }
}

/// Writes the record as it looks after a change (`overlay`, laid over what is stored) and
/// queues `mutation` for `user`, in one local transaction. Answers the mutation's id.
pub async fn write(
    user: UserId,
    entity: Entity,
    id: &str,
    overlay: &serde_json::Value,
    mutation: &Mutation,
) -> LocalResult<i64> {
    #[cfg(feature = "hydrate")]
    {
        let mutation = serde_json::to_string(mutation).map_err(|e| LocalError::Failed(e.to_string()))?;
        let id =
            js::write(&user.to_string(), entity.as_str(), id, &overlay.to_string(), &mutation).await.map_err(failed)?;
        #[allow(clippy::cast_possible_truncation)] // an IndexedDB key: a whole number
        Ok(id.as_f64().unwrap_or_default() as i64)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (user, entity, id, overlay, mutation);
        Err(LocalError::Unavailable)
    }
}

/// `user`'s mutations waiting to be sent, oldest first.
pub async fn outbox(user: UserId) -> LocalResult<Vec<Mutation>> {
    #[cfg(feature = "hydrate")]
    {
        parse(&text(js::outbox(&user.to_string()).await.map_err(failed)?).unwrap_or_default())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = user;
        Err(LocalError::Unavailable)
    }
}

/// Mutations waiting, per user id.
pub async fn waiting() -> LocalResult<HashMap<String, usize>> {
    #[cfg(feature = "hydrate")]
    {
        parse(&text(js::waiting().await.map_err(failed)?).unwrap_or_default())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Err(LocalError::Unavailable)
    }
}

/// Applies server changes in one local transaction (see `apply` in offline.js).
pub async fn apply(
    user: UserId,
    changes: &[Change],
    acked: i64,
    reset: bool,
    meta: &[(String, String)],
) -> LocalResult<()> {
    #[cfg(feature = "hydrate")]
    {
        #[derive(serde::Serialize)]
        struct Slim<'a> {
            entity: Entity,
            id: &'a str,
            op: crate::sync::ChangeOp,
            record: Option<&'a serde_json::Value>,
        }
        let slim: Vec<Slim> =
            changes.iter().map(|c| Slim { entity: c.entity, id: &c.id, op: c.op, record: c.record.as_ref() }).collect();
        let changes = serde_json::to_string(&slim).map_err(|e| LocalError::Failed(e.to_string()))?;
        let meta: serde_json::Map<String, serde_json::Value> =
            meta.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
        js::apply(&user.to_string(), &changes, acked as f64, reset, &serde_json::Value::Object(meta).to_string())
            .await
            .map_err(failed)
            .map(|_| ())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (user, changes, acked, reset, meta);
        Err(LocalError::Unavailable)
    }
}

/// Drops every local record; `with_outbox` also the unsent mutations and bookkeeping.
pub async fn wipe(with_outbox: bool) -> LocalResult<()> {
    #[cfg(feature = "hydrate")]
    {
        js::wipe(with_outbox).await.map_err(failed).map(|_| ())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = with_outbox;
        Err(LocalError::Unavailable)
    }
}

pub async fn storage() -> StorageInfo {
    #[cfg(feature = "hydrate")]
    {
        match js::storage().await {
            Ok(v) => text(v).and_then(|raw| serde_json::from_str(&raw).ok()).unwrap_or_default(),
            Err(_) => StorageInfo::default(),
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        StorageInfo::default()
    }
}

/// Asks the browser to keep the local store under storage pressure; true when granted.
pub async fn persist() -> bool {
    #[cfg(feature = "hydrate")]
    {
        js::persist().await.ok().and_then(|v| v.as_bool()).unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

/// True while the browser believes it is online (always true on the server).
pub fn online() -> bool {
    #[cfg(feature = "hydrate")]
    {
        js::online()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        true
    }
}
