-- Each browser install pushes mutations under its client_id; the server remembers the last
-- mutation applied so a retried push changes nothing.
CREATE TABLE sync_clients (
    client_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    last_mutation_id BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sync_clients_user ON sync_clients (user_id);
