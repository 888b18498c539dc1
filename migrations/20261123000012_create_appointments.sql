CREATE TABLE appointments (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('meeting', 'showing', 'call', 'task')),
    title TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    time_zone TEXT NOT NULL,
    assignee_id TEXT NOT NULL REFERENCES users (id),
    contact_id TEXT REFERENCES contacts (id),
    listing_id TEXT REFERENCES listings (id),
    address TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'done', 'cancelled', 'no_show')),
    reminder_minutes BIGINT,
    recurrence TEXT,
    notes TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    CHECK (ends_at >= starts_at)
);
CREATE INDEX appointments_assignee_start ON appointments (assignee_id, starts_at);
CREATE INDEX appointments_contact ON appointments (contact_id);
CREATE INDEX appointments_version ON appointments (version);
