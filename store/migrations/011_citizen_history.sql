-- The civil and residence history of a citizen (app/civil.go): marriages
-- and civil unions, convivenze di fatto, death, AIRE registration,
-- citizenship and residence history. It is read only with the whole
-- citizen, to issue a certificate, and never searched: one JSON column,
-- '' for the many citizens without history, costs the initial download of
-- a large comune nothing.
ALTER TABLE citizens ADD COLUMN history TEXT NOT NULL DEFAULT '';
