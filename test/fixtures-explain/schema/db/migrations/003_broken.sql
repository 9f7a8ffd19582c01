-- This migration has a typo; it is reported and skipped, the others still load.
CREATE TABLE audit_log (id serial PRIMARY KEY);
CREATE TABEL audit_entries (id serial PRIMARY KEY);
