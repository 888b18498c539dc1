-- Real-estate listings: photo sizes, the public share link, one live requirement per contact and
-- transaction, matching by price (positions are indexed already), and in-app notifications (new matching listings).
ALTER TABLE listings ADD COLUMN share_token TEXT;
CREATE UNIQUE INDEX listings_share_token ON listings (share_token);
CREATE INDEX listings_market ON listings (transaction_type, status, price_amount);
ALTER TABLE listing_photos ADD COLUMN width BIGINT NOT NULL DEFAULT 0;
ALTER TABLE listing_photos ADD COLUMN height BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX requirements_live ON requirements (contact_id, transaction_type) WHERE deleted = 0;
CREATE INDEX requirements_market ON requirements (transaction_type, currency, price_max);
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
