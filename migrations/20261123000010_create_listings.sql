CREATE TABLE listings (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('apartment', 'house', 'land', 'commercial', 'office')),
    transaction_type TEXT NOT NULL CHECK (transaction_type IN ('sale', 'rent')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'available', 'under_offer', 'sold', 'rented', 'withdrawn')),
    price_amount BIGINT NOT NULL,
    price_currency TEXT NOT NULL,
    rent_period TEXT,
    area_m2 DOUBLE PRECISION,
    bedrooms BIGINT,
    bathrooms BIGINT,
    floor BIGINT,
    year_built BIGINT,
    features TEXT NOT NULL DEFAULT '[]',
    description TEXT,
    address TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    territory_id TEXT REFERENCES territories (id),
    owner_contact_id TEXT REFERENCES contacts (id),
    agent_id TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX listings_status ON listings (status, id);
CREATE INDEX listings_territory ON listings (territory_id, id);
CREATE INDEX listings_agent ON listings (agent_id, id);
CREATE INDEX listings_version ON listings (version);
CREATE TABLE listing_status_history (
    id TEXT PRIMARY KEY,
    listing_id TEXT NOT NULL REFERENCES listings (id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    at BIGINT NOT NULL,
    by_user_id TEXT REFERENCES users (id)
);
CREATE INDEX listing_status_history_listing ON listing_status_history (listing_id, at);
CREATE TABLE listing_photos (
    id TEXT PRIMARY KEY,
    listing_id TEXT NOT NULL REFERENCES listings (id),
    position BIGINT NOT NULL,
    is_cover BIGINT NOT NULL DEFAULT 0 CHECK (is_cover IN (0, 1)),
    content_type TEXT NOT NULL,
    path TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX listing_photos_listing ON listing_photos (listing_id, position);
