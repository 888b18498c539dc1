CREATE TABLE activities (
    id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    author_id TEXT REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('call', 'email', 'sms', 'chat', 'social', 'note')),
    occurred_at BIGINT NOT NULL,
    direction TEXT CHECK (direction IN ('inbound', 'outbound')),
    duration_s BIGINT,
    result TEXT,
    subject TEXT,
    body TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX activities_contact_at ON activities (contact_id, occurred_at);
CREATE INDEX activities_author_at ON activities (author_id, occurred_at);
CREATE INDEX activities_version ON activities (version);
