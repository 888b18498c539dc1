-- Recurring series: the local dates a series skips (a JSON array), and when its last
-- occurrence ends (NULL: no end), so the agenda finds the series that reach a window.
ALTER TABLE appointments ADD COLUMN recurrence_exceptions TEXT;
ALTER TABLE appointments ADD COLUMN series_ends_at BIGINT;
CREATE INDEX appointments_series ON appointments (assignee_id, starts_at) WHERE recurrence IS NOT NULL;
-- The secret in each user's private calendar feed URL (NULL until first asked for).
ALTER TABLE users ADD COLUMN calendar_token TEXT;
CREATE UNIQUE INDEX users_calendar_token ON users (calendar_token);
-- A check-in far from its target, kept as it was judged then (for the manager's reports).
ALTER TABLE visits ADD COLUMN far BIGINT NOT NULL DEFAULT 0 CHECK (far IN (0, 1));
