-- The PostgreSQL twin of 009_vocabulary.sql, which renames JSON keys in the
-- data of a hub made before the names of docs/VOCABULARY.md, with SQLite's
-- json(). A PostgreSQL database is made at this version or later (by the
-- hub, or by sportello-hub migrate from a file brought up to date first):
-- it holds no data of the old names, and nothing is renamed.
SELECT 1;
