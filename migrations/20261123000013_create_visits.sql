CREATE TABLE visits (
    id TEXT PRIMARY KEY,
    rep_id TEXT NOT NULL REFERENCES users (id),
    contact_id TEXT REFERENCES contacts (id),
    listing_id TEXT REFERENCES listings (id),
    appointment_id TEXT REFERENCES appointments (id),
    check_in_at BIGINT NOT NULL,
    check_in_lat DOUBLE PRECISION,
    check_in_lon DOUBLE PRECISION,
    check_in_accuracy_m DOUBLE PRECISION,
    distance_m DOUBLE PRECISION,
    check_out_at BIGINT,
    check_out_lat DOUBLE PRECISION,
    check_out_lon DOUBLE PRECISION,
    outcome TEXT,
    notes TEXT,
    next_step TEXT,
    buyer_reaction TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX visits_rep_at ON visits (rep_id, check_in_at);
CREATE INDEX visits_contact ON visits (contact_id, check_in_at);
CREATE INDEX visits_version ON visits (version);
