-- The certificates the workstations issued, as their outbox delivered them:
-- the hub knows every certificate of the network, when it received it, and
-- whether the record had changed after the data it was issued from.
CREATE TABLE certificates (
	number         TEXT PRIMARY KEY,
	device         TEXT NOT NULL REFERENCES devices (id),
	comune         TEXT NOT NULL, -- in whose name
	codice_fiscale TEXT NOT NULL,
	type           TEXT NOT NULL,
	issued_at      TEXT NOT NULL,
	as_of          TEXT NOT NULL,
	data_seq       INTEGER NOT NULL,
	offline        INTEGER NOT NULL,
	operator       TEXT NOT NULL,
	stamp          TEXT NOT NULL,
	received_at    TEXT NOT NULL,
	flag           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX certificates_person ON certificates (codice_fiscale);
