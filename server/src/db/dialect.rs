//! SQL that differs between the engines (atuin's `Dialect` pattern). Everything else is shared.

use super::Engine;

pub struct Dialect {
    /// Case-insensitive "contains" for a bound pattern (`%text%`).
    pub ilike: &'static str,
    /// Serialises write transactions that share a key (`$1`, text) until they end. SQLite has
    /// one writer at a time already, so it needs none.
    pub lock_key: Option<&'static str>,
}

const SQLITE: Dialect = Dialect { ilike: "LIKE", lock_key: None };
const POSTGRES: Dialect =
    Dialect { ilike: "ILIKE", lock_key: Some("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))") };

impl Dialect {
    pub fn of(engine: Engine) -> &'static Dialect {
        match engine {
            Engine::Sqlite => &SQLITE,
            Engine::Postgres => &POSTGRES,
        }
    }
}
