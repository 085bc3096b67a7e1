-- The workstation's cache of its comune's anagrafe, the operator accounts
-- and reference tables it needs offline, and the facts it created on their
-- way to the hub. Dates are ISO text (AAAA-MM-GG), instants RFC 3339 UTC,
-- "" for none: they sort as they read.

CREATE TABLE citizens (
	codice_fiscale   TEXT PRIMARY KEY,
	surname          TEXT NOT NULL,
	given_name       TEXT NOT NULL,
	-- app.NameKey of surname and given name: what the search box matches.
	surname_key      TEXT NOT NULL,
	given_key        TEXT NOT NULL,
	sex              TEXT NOT NULL,
	birth_date       TEXT NOT NULL,
	birth_place_code TEXT NOT NULL,
	citizenship      TEXT NOT NULL,
	civil_status     INTEGER NOT NULL,
	comune           TEXT NOT NULL,
	street           TEXT NOT NULL,
	house_number     TEXT NOT NULL,
	postcode         TEXT NOT NULL,
	family_id        TEXT NOT NULL,
	relationship     INTEGER NOT NULL,
	status           TEXT NOT NULL,
	registered_on    TEXT NOT NULL,
	cancelled_on     TEXT NOT NULL,
	cancel_reason    TEXT NOT NULL,
	certifiability   INTEGER NOT NULL,
	document_number  TEXT NOT NULL,
	updated_at       TEXT NOT NULL,
	-- The Seq of the last initial download that delivered the row; NULL
	-- for rows that came by the change log. FinishSnapshot drops the rows
	-- of its scope that the download did not deliver.
	snapshot_gen     INTEGER
);

-- Search reads "surname [given]" and "given surname": an equality or prefix
-- range on the first column, a range or equality on the second, rows already
-- in display order (birth_date last), so LIMIT stops after the first rows
-- even for a one-letter prefix over a million citizens.
CREATE INDEX citizens_surname ON citizens (surname_key, given_key, birth_date);
CREATE INDEX citizens_given ON citizens (given_key, surname_key, birth_date);
CREATE INDEX citizens_family ON citizens (family_id);

CREATE TABLE operators (
	username      TEXT PRIMARY KEY,
	name          TEXT NOT NULL,
	comune        TEXT NOT NULL,
	roles         TEXT NOT NULL, -- JSON array of app.Role
	password_hash TEXT NOT NULL,
	active        INTEGER NOT NULL,
	updated_at    TEXT NOT NULL
);

-- Failed logins since the last good one, per username as typed (an unknown
-- username is counted too, so that guessing names is locked out as well).
CREATE TABLE login_failures (
	username TEXT PRIMARY KEY,
	count    INTEGER NOT NULL,
	last_at  TEXT NOT NULL
);

-- The ANPR reference tables as the hub last sent them (JSON of anpr.Tables).
CREATE TABLE reference (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	tables     TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

-- The network's workstation keys (app.DeviceKey): each key with its
-- certificate from the comune's key, to check stamps offline.
CREATE TABLE device_keys (
	device     TEXT PRIMARY KEY,
	comune     TEXT NOT NULL,
	subject    TEXT NOT NULL,
	issuer     TEXT NOT NULL,
	public_key BLOB NOT NULL,
	not_before TEXT NOT NULL,
	signature  BLOB NOT NULL,
	revoked_at TEXT NOT NULL
);

-- How far each scope of the hub's change log has been applied.
CREATE TABLE cursors (
	scope TEXT PRIMARY KEY,
	seq   INTEGER NOT NULL,
	as_of TEXT NOT NULL
);

-- An initial download in progress, one per scope.
CREATE TABLE snapshot_state (
	scope   TEXT PRIMARY KEY,
	seq     INTEGER NOT NULL,
	after   TEXT NOT NULL,
	done    INTEGER NOT NULL,
	total   INTEGER NOT NULL,
	started TEXT NOT NULL
);

-- The workstation's enrolment: at most one row.
CREATE TABLE profile (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	device      TEXT NOT NULL CHECK (device <> ''),
	comune      TEXT NOT NULL,
	comune_name TEXT NOT NULL,
	hub_url     TEXT NOT NULL,
	token       TEXT NOT NULL,
	private_key BLOB,
	public_key  BLOB,
	cert        BLOB,
	root_key    BLOB,
	enrolled_at TEXT NOT NULL
);

-- The audit trail, hash-chained per device (app.AuditEvent).
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
);

-- Facts on their way to the hub, written in the same transaction as the
-- fact. Rows stay after the hub's answer, with it: the trail of what was
-- sent and what the hub said.
CREATE TABLE outbox (
	id         TEXT PRIMARY KEY, -- UUID: the hub applies an id once
	device     TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	kind       TEXT NOT NULL,
	audit_seq  INTEGER, -- the audit event of an OpAudit operation
	created_at TEXT NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	state      TEXT NOT NULL CHECK (state IN ('pending', 'done', 'parked')),
	reason     TEXT NOT NULL DEFAULT '', -- why it was parked
	last_error TEXT NOT NULL DEFAULT '', -- why the last attempt failed
	result     TEXT NOT NULL DEFAULT '', -- JSON of the hub's app.OpResult
	done_at    TEXT NOT NULL DEFAULT '',
	UNIQUE (device, seq),
	FOREIGN KEY (device, audit_seq) REFERENCES audit (device, seq)
);

CREATE INDEX outbox_state ON outbox (state, seq);
