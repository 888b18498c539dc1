-- A user's own layout of a list on the desk (columns, widths, the sort it opens with), as the
-- JSON of `ListView`; one row per user and list.
CREATE TABLE list_views (
    user_id TEXT NOT NULL REFERENCES users (id),
    list TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, list)
);
-- The contact list sorted by last activity, never-touched contacts as the oldest: the same
-- expression the list orders by, so either engine reads it in index order.
CREATE INDEX contacts_activity_order ON contacts ((COALESCE(last_activity_at, 0)), id);
