-- The requests (istanze) of the comuni: the protocol counters, per comune
-- and year, advanced only in the transaction that applies a submission
-- (gap-free); each request's index row and its history (the request
-- itself is a record, kind 'request', that reaches the comune's
-- workstations); the files they carry; the notices to the citizens, with
-- their delivery state.
CREATE TABLE protocol_counters (
	comune TEXT NOT NULL,
	year   INTEGER NOT NULL,
	last   INTEGER NOT NULL,
	PRIMARY KEY (comune, year)
) WITHOUT ROWID;

CREATE TABLE requests (
	id             TEXT PRIMARY KEY,
	comune         TEXT NOT NULL,
	year           INTEGER NOT NULL,
	seq            INTEGER NOT NULL,
	number         TEXT NOT NULL,
	provisional    TEXT NOT NULL UNIQUE,
	device         TEXT NOT NULL,
	codice_fiscale TEXT NOT NULL,
	service        TEXT NOT NULL,
	status         TEXT NOT NULL,
	version        INTEGER NOT NULL,
	follow_code    TEXT NOT NULL,
	submitted_at   TEXT NOT NULL,
	received_at    TEXT NOT NULL,
	UNIQUE (comune, year, seq),
	UNIQUE (comune, number)
);
CREATE INDEX requests_person ON requests (codice_fiscale);
CREATE INDEX requests_status ON requests (comune, status);

CREATE TABLE request_history (
	request  TEXT NOT NULL REFERENCES requests (id),
	version  INTEGER NOT NULL,
	status   TEXT NOT NULL,
	note     TEXT NOT NULL,
	operator TEXT NOT NULL,
	at       TEXT NOT NULL,
	PRIMARY KEY (request, version)
) WITHOUT ROWID;

-- File contents by their SHA-256, uploaded by a workstation before the
-- request that names them.
CREATE TABLE attachments (
	sha256      TEXT PRIMARY KEY,
	type        TEXT NOT NULL,
	size        INTEGER NOT NULL,
	content     BLOB NOT NULL,
	device      TEXT NOT NULL,
	received_at TEXT NOT NULL
);

CREATE TABLE request_attachments (
	request TEXT NOT NULL REFERENCES requests (id),
	field   TEXT NOT NULL,
	sha256  TEXT NOT NULL REFERENCES attachments (sha256),
	name    TEXT NOT NULL,
	PRIMARY KEY (request, field, sha256)
) WITHOUT ROWID;

-- The notices' outbox. id is the message's identity (its Message-ID):
-- one per request version and channel, so a change queues each message
-- once. state: queued -> sending -> sent; a failed attempt goes back to
-- queued with next_at later, or to failed; a notice found 'sending' when
-- the worker starts may have gone out: it becomes 'uncertain' and is never
-- sent again without a person.
CREATE TABLE notices (
	id         TEXT PRIMARY KEY,
	request    TEXT NOT NULL REFERENCES requests (id),
	comune     TEXT NOT NULL,
	channel    TEXT NOT NULL,
	recipient  TEXT NOT NULL,
	subject    TEXT NOT NULL,
	body       TEXT NOT NULL,
	state      TEXT NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_at    TEXT NOT NULL,
	last_error TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	sent_at    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notices_due ON notices (state, next_at);
