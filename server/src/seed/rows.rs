//! Writing many generated rows fast: multi-row INSERTs, a transaction per statement, with the
//! tables' secondary indexes dropped for the load and built again after it (building an index
//! from sorted data is many times faster than keeping it up to date row by row).

use crate::db::{Db, Engine};
use sqlx::Executor;

/// Parameters bound per statement: under `SQLite`'s 32,766 and `PostgreSQL`'s 65,535.
const MAX_BINDS: usize = 30_000;
/// Rows per statement when a row binds few parameters.
const MAX_ROWS: usize = 5_000;

/// One value of a generated row. Integers and NULLs are computed here, never input, so they
/// are written into the statement; text and floats are bound.
pub enum V {
    T(String),
    S(&'static str),
    I(i64),
    F(f64),
    Null,
}

impl V {
    /// Whether the value is bound as a parameter (else it is written into the statement).
    fn is_bound(&self) -> bool {
        matches!(self, V::T(_) | V::S(_) | V::F(_))
    }
}

impl From<String> for V {
    fn from(v: String) -> V {
        V::T(v)
    }
}
impl From<&'static str> for V {
    fn from(v: &'static str) -> V {
        V::S(v)
    }
}
impl From<i64> for V {
    fn from(v: i64) -> V {
        V::I(v)
    }
}
impl From<f64> for V {
    fn from(v: f64) -> V {
        V::F(v)
    }
}
impl<T: Into<V>> From<Option<T>> for V {
    fn from(v: Option<T>) -> V {
        v.map_or(V::Null, Into::into)
    }
}

/// Builds a row from values of different types: `row![id, "lead", 3_i64, None::<String>]`.
macro_rules! row {
    ($($v:expr),* $(,)?) => { vec![$($crate::seed::rows::V::from($v)),*] };
}
pub(crate) use row;

/// Rows of one table, written in batches as they are pushed.
pub struct Rows<'a> {
    db: &'a Db,
    table: &'static str,
    columns: &'static [&'static str],
    pending: Vec<Vec<V>>,
    binds: usize,
    written: usize,
}

impl<'a> Rows<'a> {
    pub fn new(db: &'a Db, table: &'static str, columns: &'static [&'static str]) -> Rows<'a> {
        Rows { db, table, columns, pending: Vec::new(), binds: 0, written: 0 }
    }

    pub async fn push(&mut self, row: Vec<V>) -> Result<(), sqlx::Error> {
        debug_assert_eq!(row.len(), self.columns.len(), "{}: a row of the wrong width", self.table);
        let binds = row.iter().filter(|v| v.is_bound()).count();
        let full = self.is_full_with(binds);
        self.binds += binds;
        self.pending.push(row);
        if full {
            self.flush().await?;
        }
        Ok(())
    }

    /// Pushes a row that refers to rows of `parents` (in their order of reference): when this
    /// table's batch is written, theirs are written first, so no reference is left dangling.
    pub async fn push_after(&mut self, row: Vec<V>, parents: &mut [&mut Rows<'a>]) -> Result<(), sqlx::Error> {
        if self.is_full_with(row.iter().filter(|v| v.is_bound()).count()) {
            for parent in parents.iter_mut() {
                parent.flush().await?;
            }
        }
        self.push(row).await
    }

    /// Whether a row binding `binds` parameters fills this table's statement.
    fn is_full_with(&self, binds: usize) -> bool {
        self.binds + binds + self.columns.len() > MAX_BINDS || self.pending.len() + 1 >= MAX_ROWS
    }

    /// Writes what is pending; answers how many rows the table got in all.
    pub async fn finish(mut self) -> Result<usize, sqlx::Error> {
        self.flush().await?;
        Ok(self.written)
    }

    async fn flush(&mut self) -> Result<(), sqlx::Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut sql = format!("INSERT INTO {} ({}) VALUES ", self.table, self.columns.join(", "));
        let dialect = self.db.dialect();
        let mut n = 0;
        for (r, row) in self.pending.iter().enumerate() {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for (c, v) in row.iter().enumerate() {
                if c > 0 {
                    sql.push_str(", ");
                }
                match v {
                    V::I(i) => sql.push_str(&i.to_string()),
                    V::Null => sql.push_str("NULL"),
                    V::T(_) | V::S(_) | V::F(_) => {
                        n += 1;
                        sql.push_str(&dialect.bulk_param(n));
                    }
                }
            }
            sql.push(')');
        }
        let mut query = sqlx::query(&sql).persistent(false);
        for v in self.pending.iter().flatten() {
            query = match v {
                V::T(t) => query.bind(t.as_str()),
                V::S(s) => query.bind(*s),
                V::F(f) => query.bind(*f),
                V::I(_) | V::Null => query,
            };
        }
        let mut tx = self.db.begin_write().await?;
        query.execute(tx.conn()).await?;
        tx.commit().await?;
        self.written += self.pending.len();
        self.pending.clear();
        self.binds = 0;
        Ok(())
    }
}

/// Drops the secondary indexes of `tables` (not those behind a primary key or a unique
/// constraint); answers the statements that create them again.
pub async fn drop_indexes(db: &Db, tables: &[&str]) -> Result<Vec<String>, sqlx::Error> {
    let catalog = match db.engine() {
        Engine::Sqlite => {
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = $1"
        }
        Engine::Postgres => {
            "SELECT CAST(indexname AS TEXT), indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 \
             AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        }
    };
    let mut create = Vec::new();
    for table in tables {
        let indexes: Vec<(String, String)> = sqlx::query_as(catalog).bind(*table).fetch_all(db.pool()).await?;
        for (name, definition) in indexes {
            sqlx::query(&format!("DROP INDEX \"{name}\"")).execute(db.pool()).await?;
            create.push(definition);
        }
    }
    Ok(create)
}

/// Creates the indexes [`drop_indexes`] dropped, then refreshes the planner's statistics.
pub async fn create_indexes(db: &Db, statements: &[String]) -> Result<(), sqlx::Error> {
    let mut conn = db.pool().acquire().await?;
    match db.engine() {
        Engine::Sqlite => conn.execute("PRAGMA cache_size = -262144").await?,
        Engine::Postgres => conn.execute("SET maintenance_work_mem = '256MB'").await?,
    };
    for statement in statements {
        conn.execute(statement.as_str()).await?;
    }
    conn.execute("ANALYZE").await?;
    if db.engine() == Engine::Sqlite {
        // Keep the per-index row counts (sqlite_stat1) but not the sampled values (sqlite_stat4,
        // when SQLite is built with it): with them SQLite prepares a statement again whenever
        // its bound values change, and 200 reps' reads ran at 1,100 instead of 1,850 requests/s.
        let stat4: Option<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat4'")
            .fetch_optional(&mut *conn)
            .await?;
        if stat4.is_some() {
            conn.execute("DELETE FROM sqlite_stat4").await?;
        }
    }
    Ok(())
}
