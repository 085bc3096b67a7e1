-- The requests (istanze) taken at this workstation, each with its outbox
-- operation, and their files until the hub has them. The hub's state of a
-- request arrives as a record (kind "request"); this row is what the
-- workstation took, with the protocol number once the hub answered.
CREATE TABLE requests (
	id             TEXT PRIMARY KEY,  -- UUID
	seq            INTEGER NOT NULL UNIQUE, -- the workstation's own sequence: the provisional number
	provisional    TEXT NOT NULL UNIQUE,
	number         TEXT NOT NULL DEFAULT '', -- protocol number, from the hub's answer
	protocol_at    TEXT NOT NULL DEFAULT '',
	codice_fiscale TEXT NOT NULL,
	submitted_at   TEXT NOT NULL,
	data           TEXT NOT NULL -- wire.RequestRecord JSON as taken
);
CREATE INDEX requests_person ON requests (codice_fiscale, submitted_at);
CREATE INDEX requests_number ON requests (number) WHERE number <> '';

-- The files of a request. Their content goes to the hub before the
-- request's operation (PUT /v1/attachments); once the hub has assigned
-- the protocol number it holds them, and content is cleared here to keep
-- the workstation's file bounded.
CREATE TABLE request_files (
	request TEXT NOT NULL REFERENCES requests (id),
	field   TEXT NOT NULL,
	sha256  TEXT NOT NULL,
	name    TEXT NOT NULL,
	type    TEXT NOT NULL,
	size    INTEGER NOT NULL,
	content BLOB, -- NULL once the hub has it
	PRIMARY KEY (request, field, sha256)
) WITHOUT ROWID;
