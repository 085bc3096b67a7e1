-- The hub's records beyond the anagrafe, as the change log delivered them
-- (app.Record), and the data of the facts of the other kinds in the outbox.
CREATE TABLE records (
	kind         TEXT NOT NULL,
	key          TEXT NOT NULL,
	scope        TEXT NOT NULL,
	subject      TEXT NOT NULL, -- codice fiscale, '' for none
	data         TEXT NOT NULL, -- JSON of the kind
	-- As citizens.snapshot_gen: FinishSnapshot drops the scope's records
	-- the download did not deliver.
	snapshot_gen INTEGER,
	PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE INDEX records_subject ON records (subject, kind) WHERE subject <> '';

ALTER TABLE outbox ADD COLUMN data TEXT; -- JSON of the fact, for the other kinds
