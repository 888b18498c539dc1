-- A list that filters on a value many records hold probes each record in the list's order
-- (`EXISTS … WHERE record_id = c.id AND field_id = …`): with the value in the index, the probe
-- reads no table row. On a million contacts, SQLite's first page of a 1-in-16 choice went from
-- gathering and sorting 62,000 matches to a few hundred probes.
DROP INDEX custom_values_record;
CREATE INDEX custom_values_record ON custom_values (record_id, field_id, text_value, num_value);
