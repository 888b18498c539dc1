//! The business steps on API keys that happen outside a request too (`fieldwork key add`).

use super::store;
use crate::audit;
use crate::auth::token;
use fieldwork_app::api_keys::ApiKeyCreated;

/// A new key of `owner`'s named `name`, with its secret (shown this once); audited.
pub async fn create(
    db: &crate::db::Db,
    owner: fieldwork_app::common::UserId,
    name: &str,
) -> crate::db::StoreResult<ApiKeyCreated> {
    let secret = token::generate("fwk_");
    let prefix: String = secret.chars().take(12).collect();
    let mut tx = db.begin_write().await?;
    let key = store::insert(&mut tx, owner, name, &prefix, &token::hash(&secret)).await?;
    audit::record(&mut tx, Some(owner), "api_key", &key.id.to_string(), "create", serde_json::json!({"name": name}))
        .await?;
    tx.commit().await?;
    Ok(ApiKeyCreated { key, secret })
}
