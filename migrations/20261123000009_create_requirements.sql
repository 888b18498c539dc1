-- What a buyer or tenant is looking for; at most one live requirement per contact and transaction.
CREATE TABLE requirements (
    id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    transaction_type TEXT NOT NULL CHECK (transaction_type IN ('sale', 'rent')),
    kinds TEXT NOT NULL DEFAULT '[]',
    price_min BIGINT,
    price_max BIGINT,
    currency TEXT NOT NULL,
    min_bedrooms BIGINT,
    min_area_m2 DOUBLE PRECISION,
    wanted_territories TEXT NOT NULL DEFAULT '[]',
    wanted_area TEXT,
    features TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX requirements_contact ON requirements (contact_id);
