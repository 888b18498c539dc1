//! SQL that differs between the engines (atuin's `Dialect` pattern). Everything else is shared.

use super::Engine;

pub struct Dialect {
    /// Case-insensitive "contains" for a bound pattern (`%text%`).
    pub ilike: &'static str,
}

const SQLITE: Dialect = Dialect { ilike: "LIKE" };
const POSTGRES: Dialect = Dialect { ilike: "ILIKE" };

impl Dialect {
    pub fn of(engine: Engine) -> &'static Dialect {
        match engine {
            Engine::Sqlite => &SQLITE,
            Engine::Postgres => &POSTGRES,
        }
    }
}
