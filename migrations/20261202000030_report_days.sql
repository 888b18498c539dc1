-- Daily rollups of what the reports count (see server/src/reports/rollup.rs): per UTC day
-- (instant in ms / 86,400,000), user, territory (of the record's contact; '' for none),
-- currency ('' unless money) and metric, a count and an amount. Kept exact by triggers the
-- server creates on start (they differ between SQLite and PostgreSQL), which also fill this
-- table the first time; `report_rollups.version` says which definition it holds.
CREATE TABLE report_days (
    metric TEXT NOT NULL,
    day BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    territory_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    n BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (metric, day, user_id, territory_id, currency)
);
CREATE TABLE report_rollups (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO report_rollups (id, version) VALUES (1, 0);
