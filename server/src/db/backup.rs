//! `fieldwork backup` and `fieldwork restore`: a consistent copy of a live database, and putting
//! one back.
//!
//! - `SQLite`: the backup is `VACUUM INTO`, one read transaction, so it is consistent while the
//!   server writes. A restore checks the backup (integrity, a Fieldwork database not newer than
//!   this server), brings a scratch copy of it up to the current migrations, then replaces every
//!   table of the live database in **one** write transaction: a running server sees the old data
//!   or the new, never a mix, and a failed restore changes nothing.
//! - `PostgreSQL`: `pg_dump --format=custom` (a snapshot of one transaction) and `pg_restore
//!   --clean --single-transaction`, both from the `PostgreSQL` client tools.
//!
//! Either way the restored database gets a new server epoch ([`Db::begin_new_epoch`]): devices
//! push what they hold and then start over from the restored data (see `sync`).
//!
//! Files are written under a temporary name and renamed when complete, so a crash never leaves
//! something that looks like a finished backup.

use super::{Db, Engine};
use anyhow::{bail, ensure, Context};
use sqlx::Connection;
use std::path::{Path, PathBuf};

/// Writes a consistent backup of the database at `url` (open as `db`) to `to`, which must not
/// exist. Returns its size in bytes.
pub async fn backup(db: &Db, url: &str, to: &Path) -> anyhow::Result<u64> {
    ensure!(!to.exists(), "{} already exists: choose a new file name", to.display());
    let partial = partial_name(to);
    let _ = std::fs::remove_file(&partial);
    match db.engine() {
        Engine::Sqlite => {
            sqlx::query("VACUUM INTO $1")
                .bind(partial.to_string_lossy().into_owned())
                .execute(db.pool())
                .await
                .with_context(|| format!("writing {}", partial.display()))?;
        }
        Engine::Postgres => {
            let out = std::process::Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--no-privileges"])
                .arg(format!("--file={}", partial.display()))
                .arg(format!("--dbname={url}"))
                .output()
                .context(PG_TOOLS)?;
            ensure!(out.status.success(), "pg_dump failed: {}", String::from_utf8_lossy(&out.stderr).trim());
        }
    }
    std::fs::rename(&partial, to).with_context(|| format!("renaming {} to {}", partial.display(), to.display()))?;
    Ok(std::fs::metadata(to)?.len())
}

/// Replaces the data of the database at `url` (open as `db`, migrated) with the backup in
/// `from`, and starts a new server epoch, which it returns.
pub async fn restore(db: &Db, url: &str, from: &Path) -> anyhow::Result<String> {
    ensure!(from.is_file(), "{} is not a file", from.display());
    match db.engine() {
        Engine::Sqlite => restore_sqlite(db, from).await?,
        Engine::Postgres => {
            let out = std::process::Command::new("pg_restore")
                .args(["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"])
                .arg(format!("--dbname={url}"))
                .arg(from)
                .output()
                .context(PG_TOOLS)?;
            ensure!(out.status.success(), "pg_restore failed: {}", String::from_utf8_lossy(&out.stderr).trim());
            // A backup from an older Fieldwork gets this version's tables.
            db.migrate().await.context("migrating the restored database")?;
        }
    }
    Ok(db.begin_new_epoch().await?)
}

const PG_TOOLS: &str =
    "running the PostgreSQL client tools (pg_dump, pg_restore): install them (Debian: postgresql-client)";

fn partial_name(to: &Path) -> PathBuf {
    let mut name = to.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    to.with_file_name(name)
}

async fn restore_sqlite(db: &Db, from: &Path) -> anyhow::Result<()> {
    check_sqlite_backup(from).await?;
    // A scratch copy beside the backup, brought up to this version's migrations, so the copy
    // below is table for table and column for column; the backup file itself stays as it was.
    let scratch = from.with_file_name(format!(".fieldwork-restore-{}.db", uuid::Uuid::now_v7().simple()));
    std::fs::copy(from, &scratch).with_context(|| format!("copying {}", from.display()))?;
    let result = async {
        let source = Db::connect(&format!("sqlite://{}", scratch.display())).await?;
        source.migrate().await.context("migrating the backup")?;
        // Leaves one file, without a write-ahead log.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(source.pool()).await?;
        source.close().await;
        db.replace_all_tables(&scratch).await
    }
    .await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", scratch.display()));
    }
    result
}

/// Refuses a file that is not a whole Fieldwork database this version can read.
async fn check_sqlite_backup(from: &Path) -> anyhow::Result<()> {
    let url = format!("sqlite://{}?mode=ro", from.display());
    let mut conn = sqlx::AnyConnection::connect(&url).await.with_context(|| format!("opening {}", from.display()))?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .with_context(|| format!("{} is not an SQLite database", from.display()))?;
    ensure!(integrity == "ok", "{} is damaged: {integrity}", from.display());
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('_sqlx_migrations', 'change_sequence')",
    )
    .fetch_one(&mut conn)
    .await?;
    ensure!(tables == 2, "{} is not a Fieldwork database", from.display());
    let newest: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations").fetch_one(&mut conn).await?;
    let known = super::MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
    if newest.unwrap_or(0) > known {
        bail!(
            "{} was made by a newer Fieldwork (migration {}): restore it with that version",
            from.display(),
            newest.unwrap_or(0)
        );
    }
    conn.close().await?;
    Ok(())
}

impl Db {
    /// Empties every table of this `SQLite` database and fills it from the database file `from`
    /// (same schema), in one write transaction.
    async fn replace_all_tables(&self, from: &Path) -> anyhow::Result<()> {
        let _writer = self.writer.lock().await;
        let mut conn = self.pool.acquire().await?;
        // Rows arrive table by table; references are checked once all are in.
        run(&mut conn, "PRAGMA foreign_keys = OFF").await?;
        sqlx::query("ATTACH DATABASE $1 AS backup")
            .bind(from.to_string_lossy().into_owned())
            .execute(&mut *conn)
            .await?;
        let copied = async {
            run(&mut conn, "BEGIN IMMEDIATE").await?;
            match copy_tables(&mut conn).await {
                Ok(()) => run(&mut conn, "COMMIT").await,
                Err(e) => {
                    let _ = run(&mut conn, "ROLLBACK").await;
                    Err(e)
                }
            }
        }
        .await;
        let _ = run(&mut conn, "DETACH DATABASE backup").await;
        run(&mut conn, "PRAGMA foreign_keys = ON").await?;
        copied?;
        let broken: Vec<String> =
            sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(&mut *conn).await?;
        ensure!(broken.is_empty(), "the restored data has broken references in {broken:?}");
        Ok(())
    }
}

/// Inside the restore's transaction: every table of `main` (virtual tables through their own
/// columns, their shadow tables not at all) from `backup`.
async fn copy_tables(conn: &mut sqlx::AnyConnection) -> anyhow::Result<()> {
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let virtuals: Vec<&str> =
        tables.iter().filter(|(_, sql)| sql.starts_with("CREATE VIRTUAL TABLE")).map(|(n, _)| n.as_str()).collect();
    for (table, sql) in &tables {
        if virtuals.iter().any(|v| table.starts_with(&format!("{v}_"))) {
            continue;
        }
        let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
            .bind(table)
            .fetch_all(&mut *conn)
            .await?;
        let mut list: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
        if sql.starts_with("CREATE VIRTUAL TABLE") {
            // Search rows are keyed by rowid.
            list.insert(0, "rowid".into());
        }
        let list = list.join(", ");
        run(conn, &format!("DELETE FROM main.\"{table}\"")).await?;
        run(conn, &format!("INSERT INTO main.\"{table}\" ({list}) SELECT {list} FROM backup.\"{table}\""))
            .await
            .with_context(|| format!("copying {table}"))?;
    }
    Ok(())
}

async fn run(conn: &mut sqlx::AnyConnection, sql: &str) -> anyhow::Result<()> {
    sqlx::query(sql).execute(conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::partial_name;
    use std::path::Path;

    #[test]
    fn a_backup_is_written_under_a_name_no_one_takes_for_a_finished_one() {
        assert_eq!(partial_name(Path::new("/b/fieldwork.db")), Path::new("/b/fieldwork.db.partial"));
    }
}
