//! Auto-assignment: every contact and listing with a position carries the territory that
//! holds it ([`TerritoryIndex::locate`]). New and moved records are placed as they are written;
//! when a territory is created, reshaped or deleted, only the records inside the old and new
//! bounding boxes are looked at again, and only those whose territory changes are written.

use super::index::TerritoryIndex;
use crate::db::{now_ms, StoreResult, WriteTx};
use fieldwork_app::common::TerritoryId;
use geo::Rect;
use std::collections::HashMap;

/// Tables whose rows are placed in territories by their position.
const PLACED: [&str; 2] = ["contacts", "listings"];
/// Ids written per UPDATE.
const CHUNK: usize = 500;

/// How many records moved to another territory (or out of all).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    pub contacts: u64,
    pub listings: u64,
}

/// Places again every contact and listing inside any of `areas` by `index`.
pub(super) async fn reassign(tx: &mut WriteTx, index: &TerritoryIndex, areas: &[Rect<f64>]) -> StoreResult<Moved> {
    let mut moved = Moved::default();
    for table in PLACED {
        let mut changes: HashMap<Option<TerritoryId>, Vec<String>> = HashMap::new();
        for area in areas {
            let rows: Vec<(String, f64, f64, Option<String>)> = sqlx::query_as(&format!(
                "SELECT id, lat, lon, territory_id FROM {table} WHERE deleted = 0 \
                 AND lat BETWEEN $1 AND $2 AND lon BETWEEN $3 AND $4"
            ))
            .bind(area.min().y)
            .bind(area.max().y)
            .bind(area.min().x)
            .bind(area.max().x)
            .fetch_all(tx.conn())
            .await?;
            for (id, lat, lon, current) in rows {
                let now = index.locate(lon, lat);
                if now.map(|t| t.to_string()) != current {
                    changes.entry(now).or_default().push(id);
                }
            }
        }
        let mut count = 0u64;
        if !changes.is_empty() {
            let version = tx.next_version().await?;
            let at = now_ms();
            for (territory, mut ids) in changes {
                ids.sort_unstable();
                ids.dedup();
                for chunk in ids.chunks(CHUNK) {
                    let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 4)).collect();
                    let sql = format!(
                        "UPDATE {table} SET territory_id = $1, version = $2, updated_at = $3 WHERE id IN ({})",
                        list.join(", ")
                    );
                    let query = sqlx::query(&sql).bind(territory.map(|t| t.to_string())).bind(version).bind(at);
                    chunk.iter().fold(query, sqlx::query::Query::bind).execute(tx.conn()).await?;
                    count += chunk.len() as u64;
                }
            }
        }
        if table == "contacts" {
            moved.contacts = count;
        } else {
            moved.listings = count;
        }
    }
    Ok(moved)
}
