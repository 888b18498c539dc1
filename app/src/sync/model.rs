//! The sync contract on the wire: `POST /api/v1/sync/push` and `GET /api/v1/sync/pull`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The version of this sync contract the browser app speaks.
pub const PROTOCOL: u32 = 1;
/// The oldest version the server still accepts; an older app is told to update (426).
pub const OLDEST_PROTOCOL: u32 = 1;

/// Most mutations one push may carry; the client sends the rest in the next push.
pub const MAX_PUSH: usize = 200;
/// Changes in one pull page.
pub const PULL_PAGE: i64 = 500;

/// The kinds of record a device keeps and changes offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Contact,
    Activity,
    Task,
    Appointment,
    Visit,
    Listing,
    /// The losing side of a field-level merge, kept for the user to restore.
    Conflict,
}

impl Entity {
    pub const ALL: [Entity; 7] = [
        Entity::Contact,
        Entity::Activity,
        Entity::Task,
        Entity::Appointment,
        Entity::Visit,
        Entity::Listing,
        Entity::Conflict,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Contact => "contact",
            Entity::Activity => "activity",
            Entity::Task => "task",
            Entity::Appointment => "appointment",
            Entity::Visit => "visit",
            Entity::Listing => "listing",
            Entity::Conflict => "conflict",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Create,
    /// Changed fields; for a visit, the check-out.
    Update,
    Delete,
}

/// One change made on a device, as it was made: the record's fields as the form sent them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Mutation {
    /// Optional here (the push names its client once); when present it must be the push's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Increasing by one per client, from 1.
    pub mutation_id: i64,
    pub entity: Entity,
    /// The record's id (a `UUIDv7` made on the device for a creation).
    pub id: String,
    pub op: Op,
    /// The record's version the device had when the change was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_version: Option<i64>,
    /// The changed fields (the create or update body of the entity's REST route).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub fields: Map<String, Value>,
    /// For an update: what each changed field held on the device before the change, so the
    /// server can tell which fields someone else changed meanwhile.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub base: Map<String, Value>,
    /// The device's clock when the change was made: shown, never used to order writes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_ts: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PushRequest {
    pub client_id: String,
    pub mutations: Vec<Mutation>,
    /// The sync contract version the sender speaks ([`PROTOCOL`]; absent: the current one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<u32>,
    /// The server epoch of this device's last push answer. When the server's epoch differs —
    /// it was restored from a backup and lost the device's latest mutations — the first
    /// mutation sent now is taken even after a gap, so the outbox is not stuck behind changes
    /// that only the lost database had.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_epoch: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Applied,
    /// Applied by an earlier push (a retry after a lost answer): nothing changed now.
    Duplicate,
    /// Applied in part: some fields had been changed by someone else since the device's
    /// version, and theirs stayed (see `conflicts`).
    Conflict,
    /// Refused by a business rule or validation (`message`, `fields`); the queue moves on.
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MutationResult {
    pub mutation_id: i64,
    pub outcome: Outcome,
    /// The record as the server holds it afterwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub record: Option<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub fields: Option<crate::common::FieldErrors>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub results: Vec<MutationResult>,
    /// The last mutation of this client the server has applied (or refused).
    pub last_mutation_id: i64,
    pub server_epoch: String,
}

/// A field where the device's offline edit lost to an edit that reached the server first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Conflict {
    pub id: String,
    pub entity: Entity,
    pub record_id: String,
    pub field: String,
    /// What the device wrote.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub mine: Value,
    /// What the server kept.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub theirs: Value,
    /// Who made the edit that stayed, and when it reached the server.
    pub theirs_by: Option<String>,
    pub theirs_at: chrono::DateTime<chrono::Utc>,
    /// `mine` or `theirs` once the user chose; until then the record shows the conflict.
    #[serde(default)]
    pub resolution: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    Put,
    /// Deleted, or no longer in the user's scope: the device drops it.
    Remove,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Change {
    pub entity: Entity,
    pub id: String,
    pub op: ChangeOp,
    pub version: i64,
    /// The record's JSON (the entity's REST shape) for a `put`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub record: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PullPage {
    pub changes: Vec<Change>,
    /// Where the next pull starts; save it only after applying this page.
    pub cursor: String,
    /// More pages wait: pull again at once.
    pub more: bool,
    /// The device must drop every record it holds before applying this page (first pull, or
    /// the user's scope changed, or the server was restored).
    pub reset: bool,
    pub last_mutation_id: i64,
    pub server_epoch: String,
}
