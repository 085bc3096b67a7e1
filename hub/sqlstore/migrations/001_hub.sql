-- The hub's storage: the authority for the network's anagrafe, reference
-- tables, operators and device keys, with the per-scope change log that
-- workstations pull.
CREATE TABLE network (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	root_key    BLOB NOT NULL, -- Ed25519 private key of the network
	created_at  TEXT NOT NULL
);

CREATE TABLE comuni (
	code        TEXT PRIMARY KEY,  -- Belfiore
	name        TEXT NOT NULL,
	private_key BLOB NOT NULL,
	cert        TEXT NOT NULL,     -- wire.KeyCert JSON, signed by the root
	created_at  TEXT NOT NULL
);

-- One row per change-log scope: a comune's code, or '*' for the network.
-- seq is the last number handed out; changes at or below horizon have been
-- compacted away, so a cursor below it must resnapshot.
CREATE TABLE scopes (
	scope   TEXT PRIMARY KEY,
	seq     INTEGER NOT NULL DEFAULT 0,
	horizon INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE changes (
	scope   TEXT NOT NULL REFERENCES scopes(scope),
	seq     INTEGER NOT NULL,
	kind    TEXT NOT NULL,
	key     TEXT NOT NULL,
	payload TEXT NOT NULL, -- wire.Change JSON
	PRIMARY KEY (scope, seq)
) WITHOUT ROWID;

CREATE TABLE citizens (
	codice_fiscale TEXT PRIMARY KEY,
	comune         TEXT NOT NULL,
	surname_key    TEXT NOT NULL,
	given_key      TEXT NOT NULL,
	birth_date     TEXT NOT NULL,
	family_id      TEXT NOT NULL,
	data           TEXT NOT NULL, -- wire.Citizen JSON
	seq            INTEGER NOT NULL -- scope seq of the last change
);
CREATE INDEX citizens_name ON citizens (surname_key, given_key);
CREATE INDEX citizens_given ON citizens (given_key, surname_key);
CREATE INDEX citizens_family ON citizens (family_id);
CREATE INDEX citizens_comune ON citizens (comune, codice_fiscale);

CREATE TABLE operators (
	username TEXT PRIMARY KEY,
	comune   TEXT NOT NULL REFERENCES comuni(code),
	data     TEXT NOT NULL -- wire.Operator JSON
);

CREATE TABLE devices (
	id          TEXT PRIMARY KEY,
	comune      TEXT NOT NULL REFERENCES comuni(code),
	name        TEXT NOT NULL,
	cert        TEXT NOT NULL, -- wire.KeyCert JSON
	token_hash  TEXT NOT NULL UNIQUE,
	enrolled_at TEXT NOT NULL,
	revoked_at  TEXT
);

CREATE TABLE enroll_codes (
	code_hash  TEXT PRIMARY KEY,
	comune     TEXT NOT NULL REFERENCES comuni(code),
	expires_at TEXT NOT NULL,
	used_by    TEXT
);

-- Applied operations, recorded in the transaction that applies them: a
-- repeated operation gets the stored result back.
CREATE TABLE ops (
	id         TEXT PRIMARY KEY,
	device     TEXT NOT NULL REFERENCES devices(id),
	seq        INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	result     TEXT NOT NULL, -- wire.OpResult JSON
	applied_at TEXT NOT NULL,
	UNIQUE (device, seq)
);

CREATE TABLE audit (
	device    TEXT NOT NULL,
	seq       INTEGER NOT NULL,
	operator  TEXT NOT NULL,
	action    TEXT NOT NULL,
	subject   TEXT NOT NULL,
	at        TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL,
	PRIMARY KEY (device, seq)
) WITHOUT ROWID;

CREATE TABLE reference (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	data       TEXT NOT NULL, -- anpr.Tables JSON
	updated_at TEXT NOT NULL
);
