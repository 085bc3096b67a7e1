-- A parked operation can be discarded by a person (sportello outbox
-- discard): SQLite cannot change a CHECK constraint, so the table is
-- rebuilt with the new state allowed, rows and index kept.
CREATE TABLE outbox_new (
	id          TEXT PRIMARY KEY, -- UUID: the hub applies an id once
	device      TEXT NOT NULL,
	seq         INTEGER NOT NULL,
	kind        TEXT NOT NULL,
	audit_seq   INTEGER, -- the audit event of an OpAudit operation
	created_at  TEXT NOT NULL,
	attempts    INTEGER NOT NULL DEFAULT 0, -- failures of the hub to record it
	state       TEXT NOT NULL CHECK (state IN ('pending', 'done', 'parked', 'discarded')),
	reason      TEXT NOT NULL DEFAULT '', -- why it was parked, or discarded
	last_error  TEXT NOT NULL DEFAULT '', -- why the last attempt failed
	result      TEXT NOT NULL DEFAULT '', -- JSON of the hub's app.OpResult
	done_at     TEXT NOT NULL DEFAULT '',
	cert_number TEXT REFERENCES certificates (number),
	data        TEXT, -- JSON of the fact, for the other kinds
	UNIQUE (device, seq),
	FOREIGN KEY (device, audit_seq) REFERENCES audit (device, seq)
);

INSERT INTO outbox_new (id, device, seq, kind, audit_seq, created_at, attempts, state, reason, last_error, result, done_at, cert_number, data)
	SELECT id, device, seq, kind, audit_seq, created_at, attempts, state, reason, last_error, result, done_at, cert_number, data FROM outbox;

DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_state ON outbox (state, seq);

-- Attempts now count only the hub's failures to record an operation (after
-- sync.MaxAttempts it is parked); before, every network failure counted
-- too, so the old counts would park operations that never failed at the hub.
UPDATE outbox SET attempts = 0 WHERE state = 'pending';
