-- The hub's records beyond the anagrafe (app.Record): the service
-- catalogue, requests' states, payment positions, the albo pretorio, the
-- queue. Each write is a change of its scope; the initial download sends
-- them after the citizens.
CREATE TABLE records (
	scope   TEXT NOT NULL,
	kind    TEXT NOT NULL,
	key     TEXT NOT NULL,
	subject TEXT NOT NULL, -- codice fiscale, '' for none
	data    TEXT NOT NULL, -- JSON of the kind
	seq     INTEGER NOT NULL,
	PRIMARY KEY (scope, kind, key)
) WITHOUT ROWID;
CREATE INDEX records_subject ON records (subject, kind) WHERE subject <> '';
