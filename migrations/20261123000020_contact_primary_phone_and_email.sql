-- The first phone (E.164) and email of a contact, for finding duplicates by an index
-- (the full lists stay in `phones` and `emails`). Filled by the store on every write; rows
-- written before this migration are filled by the server at start-up.
ALTER TABLE contacts ADD COLUMN primary_phone TEXT;
ALTER TABLE contacts ADD COLUMN primary_email TEXT;
CREATE INDEX contacts_primary_phone ON contacts (primary_phone);
CREATE INDEX contacts_primary_email ON contacts (primary_email);
