-- Email delivery (issue 8): a claimed message remembers when it was claimed (a worker that died
-- while sending leaves it claimed), every attempt is recorded, users choose which notifications
-- they get by email, office staff keep email templates, admins build lead-capture forms, and a
-- feedback request remembers the contact's language.
ALTER TABLE email_outbox ADD COLUMN claimed_at BIGINT;
ALTER TABLE email_outbox ADD COLUMN contact_id TEXT;
CREATE TABLE email_attempts (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES email_outbox (id),
    at BIGINT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'already_sent', 'failed', 'abandoned')),
    error TEXT
);
CREATE INDEX email_attempts_message ON email_attempts (message_id);
-- A row only for a kind the user turned off (no row: the email is sent).
CREATE TABLE notification_prefs (
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    email BIGINT NOT NULL CHECK (email IN (0, 1)),
    PRIMARY KEY (user_id, kind)
);
CREATE TABLE email_templates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE TABLE lead_forms (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    fields TEXT NOT NULL,
    required TEXT NOT NULL,
    territory_id TEXT REFERENCES territories (id),
    owner_id TEXT REFERENCES users (id),
    thank_you TEXT NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted BIGINT NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE TABLE form_submissions (
    id TEXT PRIMARY KEY,
    form_id TEXT NOT NULL REFERENCES lead_forms (id),
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    created_contact BIGINT NOT NULL CHECK (created_contact IN (0, 1)),
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX form_submissions_form ON form_submissions (form_id, created_at);
ALTER TABLE feedback ADD COLUMN language TEXT;
-- A notification is given once per key (`reminder:{appointment}:{starts_at}`, `agenda:{user}:{date}`):
-- the jobs look for what is due on every round and this table remembers what was already given.
CREATE TABLE notices_given (
    key TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    at BIGINT NOT NULL
);
CREATE INDEX appointments_reminders ON appointments (starts_at) WHERE reminder_minutes IS NOT NULL AND deleted = 0;
