//! Errors of the data layer, and helpers to turn stored columns into domain types.

use fieldwork_app::common::FieldErrors;

/// What a store function can fail with. Callers map it to an API error in one place.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("invalid: {0:?}")]
    Invalid(FieldErrors),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// Maps a unique-constraint violation to [`StoreError::Conflict`] naming `what`.
    pub fn unique(e: sqlx::Error, what: &str) -> StoreError {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(what.to_string()),
            _ => StoreError::Db(e),
        }
    }
}

/// Parses a stored id column.
pub fn parse_id<T: std::str::FromStr>(raw: &str, column: &str) -> StoreResult<T> {
    raw.parse().map_err(|_| StoreError::Corrupt(format!("{column}: {raw:?} is not a uuid")))
}

pub fn parse_opt_id<T: std::str::FromStr>(raw: Option<&str>, column: &str) -> StoreResult<Option<T>> {
    raw.map(|r| parse_id(r, column)).transpose()
}

/// Parses a stored value with a domain parser, reporting the column when the data is bad.
pub fn parse_col<T, E: std::fmt::Debug>(parsed: Result<T, E>, column: &str) -> StoreResult<T> {
    parsed.map_err(|e| StoreError::Corrupt(format!("{column}: {e:?}")))
}

/// The rows `select` (a query ending in `id IN`) finds for `ids`, in one statement with one
/// placeholder per id, converted to domain records; none for no ids.
pub async fn by_ids<R, T>(conn: &mut sqlx::AnyConnection, select: &str, ids: &[String]) -> StoreResult<Vec<T>>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin + TryInto<T, Error = StoreError>,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!("{select} ({})", list.join(", "));
    let query = ids.iter().fold(sqlx::query_as::<_, R>(&sql), sqlx::query::QueryAs::bind);
    query.fetch_all(conn).await?.into_iter().map(TryInto::try_into).collect()
}
