-- The manager dashboard at a million contacts: counts that read only an index.
-- Live (not deleted, not archived) contacts per territory: an index of just those rows, so the
-- territory report counts index entries instead of reading every contact row.
CREATE INDEX contacts_territory_live ON contacts (territory_id) WHERE deleted = 0 AND archived = 0;
-- Calls per rep in a period: only live rows, so `deleted` needs no read of the table.
DROP INDEX activities_kind_author_at;
CREATE INDEX activities_kind_author_at ON activities (kind, author_id, occurred_at) WHERE deleted = 0;
-- Visits in a period with the columns the reports count (rep, far, contact).
CREATE INDEX visits_live_check_in ON visits (check_in_at, rep_id, far, contact_id) WHERE deleted = 0;
