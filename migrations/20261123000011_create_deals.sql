CREATE TABLE deals (
    id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    listing_id TEXT REFERENCES listings (id),
    title TEXT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('inquiry', 'proposal', 'negotiation', 'won', 'lost')),
    lost_reason TEXT,
    value_amount BIGINT NOT NULL,
    value_currency TEXT NOT NULL,
    expected_close TEXT,
    owner_id TEXT REFERENCES users (id),
    stage_changed_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX deals_owner_stage ON deals (owner_id, stage);
CREATE INDEX deals_contact ON deals (contact_id);
CREATE INDEX deals_version ON deals (version);
