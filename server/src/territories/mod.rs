//! Territories: named areas (`GeoJSON`, WGS84) that reps are assigned to, with the in-memory
//! index that places every contact and listing in the territory holding it.

pub mod actions;
pub mod assign;
pub mod geometry;
pub mod index;
pub mod map;
pub mod routes;
pub mod store;

use crate::db::StoreResult;
use fieldwork_app::common::{GeoPoint, TerritoryId};
pub use index::TerritoryIndex;
use std::sync::{Arc, RwLock};

/// The index every request reads; replaced whole (never edited) when territories change.
#[derive(Clone, Default)]
pub struct Shared(Arc<RwLock<Arc<TerritoryIndex>>>);

impl Shared {
    pub fn current(&self) -> Arc<TerritoryIndex> {
        self.0.read().map(|i| Arc::clone(&i)).unwrap_or_default()
    }

    pub fn replace(&self, index: TerritoryIndex) {
        if let Ok(mut slot) = self.0.write() {
            *slot = Arc::new(index);
        }
    }

    /// The territory of a record at `location` (none without one).
    pub fn locate(&self, location: Option<GeoPoint>) -> Option<TerritoryId> {
        location.and_then(|l| self.current().locate(l.lon(), l.lat()))
    }
}

/// The index of the territories stored now (as seen by `exec`: inside a transaction, with its
/// changes). Stored geometries were checked on the way in, so they are only read here; one that
/// no longer reads is left out with a warning rather than stopping the server.
pub async fn load<'e>(exec: impl sqlx::Executor<'e, Database = sqlx::Any>) -> StoreResult<TerritoryIndex> {
    let territories = store::list(exec).await?;
    let shapes = territories.into_iter().filter_map(|t| match geometry::read(&t.geometry) {
        Ok(shape) => Some((t.id, shape)),
        Err(e) => {
            tracing::warn!(territory = %t.id, error = %e, "stored territory geometry is invalid; left out of the index");
            None
        }
    });
    Ok(TerritoryIndex::build(shapes.collect::<Vec<_>>()))
}
