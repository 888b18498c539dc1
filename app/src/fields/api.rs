//! Typed calls for custom field definitions. The last definitions read are kept on the device,
//! so forms and record pages show the business's fields offline too.

use super::{FieldDef, FieldDefInput, RecordType};
use crate::client::{self, Method};
use crate::common::{ApiError, FieldId};
use crate::offline::local;
use crate::offline::read::read_through;

fn kept(record_type: RecordType) -> String {
    format!("fields:{}", record_type.as_str())
}

/// The fields of `record_type`, in their order on the page.
pub async fn list(record_type: RecordType) -> Result<Vec<FieldDef>, ApiError> {
    let network = async move {
        let defs: Vec<FieldDef> = client::get(&format!("/fields?record_type={}", record_type.as_str())).await?;
        if let Ok(json) = serde_json::to_string(&defs) {
            // A copy that could not be kept only means the form asks the server next time.
            let _ = local::set_meta(&kept(record_type), &json).await;
        }
        Ok(defs)
    };
    read_through(network, async move {
        local::meta(&kept(record_type)).await.ok().flatten().and_then(|json| serde_json::from_str(&json).ok())
    })
    .await
}

pub async fn create(input: &FieldDefInput) -> Result<FieldDef, ApiError> {
    client::send(Method::Post, "/fields", input).await
}

pub async fn update(id: FieldId, input: &FieldDefInput) -> Result<FieldDef, ApiError> {
    client::send(Method::Put, &format!("/fields/{id}"), input).await
}

pub async fn delete(id: FieldId) -> Result<(), ApiError> {
    client::send_empty::<()>(Method::Delete, &format!("/fields/{id}"), None).await
}
