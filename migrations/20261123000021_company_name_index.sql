-- Imports link a row's company column to the company of that name (case ignored).
CREATE INDEX contacts_company_name ON contacts (lower(name)) WHERE kind = 'company';
