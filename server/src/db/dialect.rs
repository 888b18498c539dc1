//! SQL that differs between the engines (atuin's `Dialect` pattern). Everything else is shared.

use super::Engine;

pub struct Dialect {
    /// Case-insensitive "contains" for a bound pattern (`%text%`).
    pub ilike: &'static str,
    /// Serialises write transactions that share a key (`$1`, text) until they end. `SQLite` has
    /// one writer at a time already, so it needs none.
    pub lock_key: Option<&'static str>,
    /// Creates the full-text index of contacts if missing (run after migrations).
    pub search_setup: &'static [&'static str],
    /// `FROM` of a contact search; the contacts table is `c`.
    pub search_from: &'static str,
    /// The match condition of a contact search; `{q}` is the placeholder of the expression
    /// built by `SearchQuery::fts5` / `SearchQuery::tsquery`.
    pub search_match: &'static str,
    /// `SQLite` keeps the document in a separate FTS5 table, written by the store: remove
    /// (`$1` = the row key) and insert (`$1` key, `$2` contact id, `$3` document).
    pub search_write: Option<(&'static str, &'static str)>,
    /// Parameters of a statement with very many are plain `?`, bound in order. `SQLite` looks a
    /// named or numbered parameter (`$N`, `?N`) up among those before it, both when parsing and
    /// when binding: quadratic in a many-row INSERT.
    positional_params: bool,
}

const SQLITE: Dialect = Dialect {
    ilike: "LIKE",
    lock_key: None,
    search_setup: &["CREATE VIRTUAL TABLE IF NOT EXISTS contacts_fts USING fts5(contact_id UNINDEXED, doc, \
                     tokenize = 'ascii', prefix = '2 3 4', detail = 'none')"],
    search_from: "contacts_fts f JOIN contacts c ON c.id = f.contact_id",
    search_match: "contacts_fts MATCH {q}",
    search_write: Some((
        "DELETE FROM contacts_fts WHERE rowid = $1",
        "INSERT INTO contacts_fts (rowid, contact_id, doc) VALUES ($1, $2, $3)",
    )),
    positional_params: true,
};

const POSTGRES: Dialect = Dialect {
    ilike: "ILIKE",
    lock_key: Some("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))"),
    search_setup: &[
        "CREATE INDEX IF NOT EXISTS contacts_search ON contacts USING gin (to_tsvector('simple', search_doc))",
    ],
    search_from: "contacts c",
    search_match: "to_tsvector('simple', c.search_doc) @@ to_tsquery('simple', {q})",
    search_write: None,
    positional_params: false,
};

impl Dialect {
    pub fn of(engine: Engine) -> &'static Dialect {
        match engine {
            Engine::Sqlite => &SQLITE,
            Engine::Postgres => &POSTGRES,
        }
    }

    /// Parameter `n` (from 1) of a statement that binds very many, in binding order.
    pub fn bulk_param(&self, n: usize) -> String {
        if self.positional_params {
            "?".into()
        } else {
            format!("${n}")
        }
    }
}
