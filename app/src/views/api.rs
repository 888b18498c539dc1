//! Typed calls for a user's list layouts. The last layout seen is kept on this browser too, so
//! the table opens with it offline.

use super::{ListName, ListView};
use crate::client::{self, Method};
use crate::common::ApiError;
use crate::offline::read::read_through;

/// The caller's layout of `list` (the list's default until they choose one).
pub async fn get(list: ListName) -> Result<ListView, ApiError> {
    let found = read_through(client::get::<ListView>(&format!("/me/views/{}", list.as_str())), async move {
        Some(kept(list).unwrap_or_else(|| list.default_view()))
    })
    .await?;
    keep(list, &found);
    Ok(found)
}

/// Saves the caller's layout of `list`.
pub async fn save(list: ListName, view: ListView) -> Result<ListView, ApiError> {
    view.validate(list).map_err(|e| ApiError::validation(&e))?;
    keep(list, &view);
    client::send(Method::Put, &format!("/me/views/{}", list.as_str()), &view).await
}

fn storage_key(list: ListName) -> String {
    let user = crate::offline::engine::current_user().map(|u| u.to_string()).unwrap_or_default();
    format!("fieldwork.view.{user}.{}", list.as_str())
}

fn kept(list: ListName) -> Option<ListView> {
    #[cfg(feature = "hydrate")]
    {
        let storage = web_sys::window()?.local_storage().ok().flatten()?;
        serde_json::from_str(&storage.get_item(&storage_key(list)).ok().flatten()?).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = storage_key(list);
        None
    }
}

fn keep(list: ListName, view: &ListView) {
    #[cfg(feature = "hydrate")]
    if let (Some(storage), Ok(json)) =
        (web_sys::window().and_then(|w| w.local_storage().ok().flatten()), serde_json::to_string(view))
    {
        let _ = storage.set_item(&storage_key(list), &json);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (list, view);
}
