//! Bringing a database to what this version of the server expects, in one call that the binary
//! and the test harness share, so the tests start the server production starts: migrations, the
//! schema objects made in Rust (the report rollups' triggers differ by engine), and backfills of
//! columns added after rows existed.

use crate::db::Db;
use crate::{contacts, reports};
use anyhow::Context;
use std::path::Path;

/// What [`prepare`] had to do beyond the migrations (all zero on an up-to-date database).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Prepared {
    /// Contacts indexed for search that had no search document.
    pub indexed: u64,
    /// Contacts given their primary phone and email columns.
    pub primaries: u64,
    /// The report rollups were counted again (a new rollup version, or a new database).
    pub rollups_rebuilt: bool,
}

/// Migrates `db` and brings its derived data up to date. A failure must stop the server.
pub async fn prepare(db: &Db) -> anyhow::Result<Prepared> {
    db.migrate().await.context("migrating the database")?;
    let rollups_rebuilt = reports::rollup::ensure(db).await.context("building the report rollups")?;
    backfill(db, rollups_rebuilt).await
}

/// Puts the backup in `from` back into the database at `url` (open as `db`), brings it to this
/// version, and returns the new server epoch devices will start over from.
pub async fn restore(db: &Db, url: &str, from: &Path) -> anyhow::Result<String> {
    let epoch = crate::db::backup::restore(db, url, from).await?;
    // The copy fired the report triggers row by row: count the rollups again from the data.
    reports::rollup::rebuild(db).await.context("counting the report rollups")?;
    // A backup from an older version may lack what later versions fill in.
    backfill(db, true).await?;
    Ok(epoch)
}

async fn backfill(db: &Db, rollups_rebuilt: bool) -> anyhow::Result<Prepared> {
    let indexed = contacts::write::backfill_search(db).await.context("indexing contacts for search")?;
    let primaries = contacts::write::backfill_primary(db).await.context("filling primary phones and emails")?;
    Ok(Prepared { indexed, primaries, rollups_rebuilt })
}
