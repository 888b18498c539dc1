-- One-time links: only the token's hash is stored; answered_at makes a link single-use.
CREATE TABLE feedback (
    id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    visit_id TEXT REFERENCES visits (id),
    token_hash TEXT UNIQUE,
    csat BIGINT CHECK (csat BETWEEN 1 AND 5),
    nps BIGINT CHECK (nps BETWEEN 0 AND 10),
    comment TEXT,
    sent_at BIGINT,
    expires_at BIGINT,
    answered_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX feedback_contact ON feedback (contact_id);
