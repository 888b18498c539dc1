-- Campaigns (issue 8): a template sent to a segment, one outbox row per recipient, spread out
-- in time (the throttle); each email carries an unsubscribe link that works without signing in.
CREATE TABLE campaigns (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    template_id TEXT NOT NULL REFERENCES email_templates (id),
    segment TEXT NOT NULL,
    recipients BIGINT NOT NULL,
    skipped_no_consent BIGINT NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
ALTER TABLE email_outbox ADD COLUMN campaign_id TEXT;
CREATE INDEX email_outbox_campaign ON email_outbox (campaign_id, status);
CREATE TABLE unsubscribe_links (
    token_hash TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts (id),
    campaign_id TEXT REFERENCES campaigns (id),
    created_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX unsubscribe_links_campaign ON unsubscribe_links (campaign_id);
