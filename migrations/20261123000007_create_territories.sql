-- Geometry is GeoJSON text (WGS84); the server keeps an in-memory R-tree built from it.
CREATE TABLE territories (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    colour TEXT NOT NULL,
    parent_id TEXT REFERENCES territories (id),
    geometry TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE TABLE territory_assignments (
    id TEXT PRIMARY KEY,
    territory_id TEXT NOT NULL REFERENCES territories (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX territory_assignments_user ON territory_assignments (user_id, territory_id);
CREATE INDEX territory_assignments_territory ON territory_assignments (territory_id);
