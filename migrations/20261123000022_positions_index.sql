-- A reshaped territory places again only the records inside its bounding box: found by position.
CREATE INDEX contacts_position ON contacts (lat, lon);
CREATE INDEX listings_position ON listings (lat, lon);
