-- The losing side of a field-level merge during sync (DESIGN.md, "Conflicts"): a device's
-- offline edit of a field someone else changed first. Kept per user, synced to their devices,
-- until they keep theirs or restore their own value.
CREATE TABLE sync_conflicts (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    entity TEXT NOT NULL,
    record_id TEXT NOT NULL,
    field TEXT NOT NULL,
    mine TEXT NOT NULL,
    theirs TEXT NOT NULL,
    theirs_by TEXT,
    theirs_at BIGINT NOT NULL,
    resolution TEXT CHECK (resolution IN ('mine', 'theirs')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX sync_conflicts_user ON sync_conflicts (user_id, version);
CREATE INDEX sync_conflicts_version ON sync_conflicts (version);
CREATE INDEX sync_conflicts_record ON sync_conflicts (record_id);
