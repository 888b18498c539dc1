-- Custom fields: the fields a business adds to its records. A record keeps its values in one
-- JSON column (`custom`, read and written with the record, merged by sync key by key); the
-- filters lists apply read `custom_values`, one indexed row per value (per choice of a
-- several-choice field), written in the same transaction as the record.
CREATE TABLE custom_fields (
    id TEXT PRIMARY KEY,
    record_type TEXT NOT NULL,
    field_key TEXT NOT NULL,
    label_en TEXT NOT NULL,
    label_bn TEXT,
    kind TEXT NOT NULL,
    unit TEXT,
    link_to TEXT,
    required BIGINT NOT NULL DEFAULT 0,
    help TEXT,
    choices TEXT NOT NULL DEFAULT '[]',
    section TEXT,
    position BIGINT NOT NULL,
    editable_by TEXT NOT NULL,
    -- Visit fields: when check-out asks it ({"showing": true, "outcome": "Order taken"}).
    ask_when TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0
);
-- A deleted field keeps its key: the values records still hold under it stay its own.
CREATE UNIQUE INDEX custom_fields_key ON custom_fields (record_type, field_key);
CREATE INDEX custom_fields_version ON custom_fields (version);

ALTER TABLE contacts ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';
ALTER TABLE deals ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';
ALTER TABLE listings ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';
ALTER TABLE appointments ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';
ALTER TABLE visits ADD COLUMN custom TEXT NOT NULL DEFAULT '{}';

CREATE TABLE custom_values (
    field_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    text_value TEXT,
    num_value DOUBLE PRECISION
);
CREATE INDEX custom_values_text ON custom_values (field_id, text_value, record_id);
CREATE INDEX custom_values_num ON custom_values (field_id, num_value, record_id);
CREATE INDEX custom_values_record ON custom_values (record_id, field_id);
