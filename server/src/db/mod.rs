//! The database: one pool over `SQLite` or `PostgreSQL`, chosen from the URL prefix.
//!
//! Rules of this layer:
//! - One SQL text per query for both engines (both take `$1` placeholders); where dialects
//!   differ, [`Dialect`] holds per-engine constants. Values are always bound, never formatted in.
//! - Instants are `BIGINT` milliseconds (UTC), ids are UUID text, flags are `BIGINT` 0/1.
//! - Every write that belongs together runs in one [`WriteTx`]; each changed record takes its
//!   `version` from [`WriteTx::next_version`], one sequence in commit order (see the migration).
//! - `SQLite` has a single writer: write transactions start with `BEGIN IMMEDIATE` on a
//!   connection of their own, taken in turn (so writers queue here rather than spin in `SQLite`'s
//!   busy handler, and never behind readers waiting for the pool); readers never wait thanks
//!   to WAL.

pub mod backup;
mod dialect;
mod rows;
mod sql;

pub use dialect::Dialect;
pub use rows::*;
pub use sql::{Sql, Value};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    engine: Engine,
    /// Where write transactions run: on `SQLite` a pool of one connection, taken in turn under
    /// `writer`; on `PostgreSQL` (and an in-memory `SQLite`, which a second pool would not see)
    /// the pool itself.
    writes: AnyPool,
    writer: Arc<Mutex<()>>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("engine", &self.engine).finish_non_exhaustive()
    }
}

impl Db {
    /// Opens a pool for `sqlite://path` (the file and its folder are created) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Engine::Postgres
        } else if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else {
            return Err(sqlx::Error::Configuration("DATABASE_URL must start with sqlite:// or postgres://".into()));
        };
        let (pool, writes) = match engine {
            Engine::Sqlite => {
                let url = sqlite_url(url)?;
                let options = AnyConnectOptions::from_str(&url)?;
                let pool = sqlite_pool(8).connect_with(options.clone()).await?;
                let writes =
                    if url.contains(":memory:") { pool.clone() } else { sqlite_pool(1).connect_with(options).await? };
                (pool, writes)
            }
            Engine::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?;
                (pool.clone(), pool)
            }
        };
        Ok(Db { pool, engine, writes, writer: Arc::new(Mutex::new(())) })
    }

    /// Applies pending migrations, then creates the engine-specific search index if missing.
    /// The schema only: `startup::prepare` also builds what the domains make in Rust.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        MIGRATOR.run(&self.pool).await?;
        for statement in self.dialect().search_setup {
            sqlx::query(statement).execute(&self.pool).await?;
        }
        // Each database gets an epoch of its own, so a device never takes one server's feed
        // position to another.
        sqlx::query("UPDATE change_sequence SET server_epoch = $1 WHERE id = 1 AND server_epoch = 'initial'")
            .bind(uuid::Uuid::now_v7().to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Starts a new server epoch: after a restore from a backup, devices must not trust the
    /// feed positions and mutation counters they had (see `sync`).
    pub async fn begin_new_epoch(&self) -> Result<String, sqlx::Error> {
        let epoch = uuid::Uuid::now_v7().to_string();
        sqlx::query("UPDATE change_sequence SET server_epoch = $1 WHERE id = 1")
            .bind(&epoch)
            .execute(&self.pool)
            .await?;
        Ok(epoch)
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub fn dialect(&self) -> &'static Dialect {
        Dialect::of(self.engine)
    }

    /// True when a trivial query succeeds (for `/healthz`).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Starts a write transaction (serialised per process on `SQLite`).
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        let guard = match self.engine {
            Engine::Sqlite => Some(self.writer.clone().lock_owned().await),
            Engine::Postgres => None,
        };
        let tx = match self.engine {
            // Takes the write lock up front, so a transaction that reads before it writes never
            // fails to upgrade when another process (the CLI, a second server) writes the file.
            Engine::Sqlite => self.writes.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.writes.begin().await?,
        };
        Ok(WriteTx { tx, engine: self.engine, _writer: guard, bulk_version: None })
    }

    pub async fn close(&self) {
        self.writes.close().await;
        self.pool.close().await;
    }
}

/// A pool of up to `max` connections to a `SQLite` file, each set up the same way.
fn sqlite_pool(max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(10))
        // A connection to a file does not go stale: no ping through the connection's worker
        // thread before every query.
        .test_before_acquire(false)
        .after_connect(|conn, _| {
            Box::pin(async move {
                // mmap_size: pages are read through a shared memory map instead of a read() per
                // page (a report over a million rows spent more time in the kernel than in
                // SQLite). With 256 MB of a 4.8 GB million-contact file mapped, the company's
                // dashboard took 1.1 s; 2 GB, 0.4 s; the whole file (64 GB, the ceiling
                // `.cargo/config.toml` builds SQLite with), 0.22 s with memory statistics off.
                conn.execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                     PRAGMA busy_timeout = 10000; PRAGMA mmap_size = 68719476736;",
                )
                .await?;
                Ok(())
            })
        })
}

/// `sqlite://data/fieldwork.db` → the same URL with `mode=rwc`, after creating `data/`.
fn sqlite_url(url: &str) -> Result<String, sqlx::Error> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let file = path.split('?').next().unwrap_or_default();
    if !file.is_empty() && file != ":memory:" {
        if let Some(dir) = std::path::Path::new(file).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| sqlx::Error::Configuration(e.into()))?;
        }
    }
    Ok(if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

/// A write transaction. Dropping it without [`WriteTx::commit`] rolls back.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    engine: Engine,
    _writer: Option<OwnedMutexGuard<()>>,
    /// A bulk write's one version (see [`WriteTx::bulk`]).
    bulk_version: Option<i64>,
}

impl WriteTx {
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The next value of the change sequence, for the `version` of a record written now (in a
    /// bulk write, the one version all its records share).
    pub async fn next_version(&mut self) -> Result<i64, sqlx::Error> {
        if let Some(version) = self.bulk_version {
            return Ok(version);
        }
        sqlx::query_scalar("UPDATE change_sequence SET value = value + 1 WHERE id = 1 RETURNING value")
            .fetch_one(&mut *self.tx)
            .await
    }

    /// Makes this a bulk write: a long transaction that writes many records and looks each one
    /// up as it goes (an import).
    /// - Every record it writes gets one version, taken here. On `PostgreSQL` each update of the
    ///   counter's row in one transaction adds a row version the next update walks past, so a
    ///   version per record made the import quadratic. Devices lose nothing: the sync pages by
    ///   (version, entity, id) and never splits the records of one version, which all commit at
    ///   once anyway.
    /// - `PostgreSQL` plans every statement for the tables as they are now. Otherwise a
    ///   connection's cached plan, made while a table was still empty, goes on scanning the
    ///   whole table for a lookup by key as the transaction fills it. `SQLite` has no such cache.
    pub async fn bulk(&mut self) -> Result<(), sqlx::Error> {
        self.bulk_version = Some(self.next_version().await?);
        if self.engine == Engine::Postgres {
            sqlx::query("SET LOCAL plan_cache_mode = force_custom_plan").execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Waits until no other write transaction holds `key`, and holds it until this one ends.
    pub async fn lock_key(&mut self, key: &str) -> Result<(), sqlx::Error> {
        if let Some(sql) = Dialect::of(self.engine).lock_key {
            sqlx::query(sql).bind(key).execute(&mut *self.tx).await?;
        }
        Ok(())
    }

    /// Marks a point this transaction can return to (both engines speak `SAVEPOINT`), so one
    /// failed step undoes only itself; on `PostgreSQL` it also clears the aborted state.
    pub async fn savepoint(&mut self, name: &'static str) -> Result<(), sqlx::Error> {
        sqlx::query(&format!("SAVEPOINT {name}")).execute(&mut *self.tx).await.map(|_| ())
    }

    pub async fn rollback_to(&mut self, name: &'static str) -> Result<(), sqlx::Error> {
        sqlx::query(&format!("ROLLBACK TO SAVEPOINT {name}")).execute(&mut *self.tx).await.map(|_| ())
    }

    pub async fn release(&mut self, name: &'static str) -> Result<(), sqlx::Error> {
        sqlx::query(&format!("RELEASE SAVEPOINT {name}")).execute(&mut *self.tx).await.map(|_| ())
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

/// An optional float to bind as text, read by `CAST($n AS DOUBLE PRECISION)` in the SQL.
///
/// sqlx 0.8.6's Any driver sends a NULL float to `PostgreSQL` typed FLOAT4 (its `Null(Double)`
/// becomes an `Option<f32>`), and `PostgreSQL` keeps a cached statement's parameter types, so a
/// later non-NULL FLOAT8 for the same statement is refused ("incorrect binary data format").
/// A text parameter has one type whether it is NULL or not; Rust prints floats exactly.
pub fn float_param(value: Option<f64>) -> Option<String> {
    value.map(|v| v.to_string())
}

/// Deletes record `id` of `table` the way every synced record is deleted: a tombstone with a
/// new version, so the change feed passes the deletion on.
pub async fn tombstone(tx: &mut WriteTx, table: &'static str, id: &str) -> Result<(), sqlx::Error> {
    let version = tx.next_version().await?;
    sqlx::query(&format!(
        "UPDATE {table} SET deleted = 1, updated_at = $2, version = $3 WHERE id = $1 AND deleted = 0"
    ))
    .bind(id)
    .bind(now_ms())
    .bind(version)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Deletes record `id` of `table`, one that devices do not sync (no version): marked deleted,
/// and `NotFound` when there was no live record.
pub async fn soft_delete(tx: &mut WriteTx, table: &'static str, id: &str) -> StoreResult<()> {
    let done = sqlx::query(&format!("UPDATE {table} SET deleted = 1, updated_at = $2 WHERE id = $1 AND deleted = 0"))
        .bind(id)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Milliseconds since the Unix epoch, the storage form of every instant.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub fn from_ms(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
