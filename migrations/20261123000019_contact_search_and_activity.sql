-- Contact search and hygiene.
-- search_doc: the engine-neutral search document (see app/src/contacts/search.rs). PostgreSQL
-- indexes it with a GIN expression index, SQLite copies it into an FTS5 table; both are created
-- after migrations by the server (db::search_setup), as that DDL is engine-specific.
ALTER TABLE contacts ADD COLUMN search_doc TEXT NOT NULL DEFAULT '';
-- When the last call, note, visit… with this contact happened (the "stale" view).
ALTER TABLE contacts ADD COLUMN last_activity_at BIGINT;
CREATE INDEX contacts_updated ON contacts (updated_at, id);
CREATE INDEX contacts_last_activity ON contacts (last_activity_at);
-- The vocabulary of words in contact names, companies and tags, by first character: typo
-- tolerance looks up words near a typed one here. Words are never removed (a stale word
-- only yields a candidate that matches nothing).
CREATE TABLE search_terms (
    term TEXT PRIMARY KEY,
    head TEXT NOT NULL
);
CREATE INDEX search_terms_head ON search_terms (head);
CREATE INDEX tasks_contact ON tasks (contact_id);
CREATE INDEX deals_stage ON deals (stage, stage_changed_at);
