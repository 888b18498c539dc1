-- A contact field asked of people only or of companies only ('person' / 'company'); of both
-- when empty.
ALTER TABLE custom_fields ADD COLUMN contact_kind TEXT;
-- The custom contact fields a lead-capture form asks, by key, in order (a JSON list).
ALTER TABLE lead_forms ADD COLUMN custom_fields TEXT NOT NULL DEFAULT '[]';
