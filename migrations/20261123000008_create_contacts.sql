-- phones, emails and tags are JSON arrays in text (portable); the first phone/email is primary.
CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'company')),
    name TEXT NOT NULL,
    company_id TEXT REFERENCES contacts (id),
    lifecycle TEXT NOT NULL CHECK (lifecycle IN ('lead', 'prospect', 'customer', 'inactive')),
    source TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    phones TEXT NOT NULL DEFAULT '[]',
    emails TEXT NOT NULL DEFAULT '[]',
    address TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    territory_id TEXT REFERENCES territories (id),
    owner_id TEXT REFERENCES users (id),
    preferred_channel TEXT,
    language TEXT,
    time_zone TEXT,
    consent_email BIGINT NOT NULL DEFAULT 0 CHECK (consent_email IN (0, 1)),
    consent_sms BIGINT NOT NULL DEFAULT 0 CHECK (consent_sms IN (0, 1)),
    consent_calls BIGINT NOT NULL DEFAULT 1 CHECK (consent_calls IN (0, 1)),
    notes TEXT,
    archived BIGINT NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX contacts_owner ON contacts (owner_id, name, id);
CREATE INDEX contacts_territory ON contacts (territory_id, name, id);
CREATE INDEX contacts_name ON contacts (name, id);
CREATE INDEX contacts_version ON contacts (version);
CREATE INDEX contacts_company ON contacts (company_id);
