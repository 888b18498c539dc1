-- Bulk work on contacts from the desk's table: a run, and one row per selected contact with
-- what the run did to it (`step`: the edit and the edit that undoes it). The run's state and
-- progress live here, not in a server's memory: any server answers its progress, and a run
-- whose server stopped is taken over by another's background worker.
CREATE TABLE bulk_runs (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    change TEXT NOT NULL,
    selection TEXT NOT NULL,
    state TEXT NOT NULL,
    total BIGINT NOT NULL,
    done BIGINT NOT NULL DEFAULT 0,
    changed BIGINT NOT NULL DEFAULT 0,
    unchanged BIGINT NOT NULL DEFAULT 0,
    restored BIGINT NOT NULL DEFAULT 0,
    undo_until BIGINT,
    heartbeat BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX bulk_runs_state ON bulk_runs (state, heartbeat);
CREATE TABLE bulk_items (
    run_id TEXT NOT NULL REFERENCES bulk_runs (id),
    seq BIGINT NOT NULL,
    contact_id TEXT NOT NULL,
    -- pending, changed, unchanged, restored, kept (changed by someone since; undo left it)
    status TEXT NOT NULL,
    step TEXT,
    PRIMARY KEY (run_id, seq)
);
