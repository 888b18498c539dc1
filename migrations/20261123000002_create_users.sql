-- Instants are BIGINT milliseconds since the Unix epoch (UTC) on both engines: portable and
-- index-friendly. Ids are UUIDv7 text.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'office', 'rep')),
    manager_id TEXT REFERENCES users (id),
    language TEXT NOT NULL DEFAULT 'en',
    time_zone TEXT NOT NULL DEFAULT 'Asia/Dhaka',
    password_hash TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX users_manager ON users (manager_id);
