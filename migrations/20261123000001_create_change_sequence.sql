-- Portable types for both engines (and sqlx's Any driver, which decodes only a few):
-- ids TEXT, instants BIGINT milliseconds (UTC), every integer BIGINT, flags BIGINT 0/1 with a
-- CHECK, decimals DOUBLE PRECISION, JSON as TEXT.
--
-- One change sequence for every record version (see DESIGN.md, "Versions in commit order").
-- A write transaction takes the next value with UPDATE ... RETURNING, which row-locks this
-- single row until commit, so versions become visible in the order they were allocated on
-- PostgreSQL too (a plain SEQUENCE would not guarantee that). The epoch changes on restore.
CREATE TABLE change_sequence (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL,
    server_epoch TEXT NOT NULL
);
INSERT INTO change_sequence (id, value, server_epoch) VALUES (1, 0, 'initial');
