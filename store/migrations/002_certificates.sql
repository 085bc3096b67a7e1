-- The certificates the workstation issued, each with its outbox operation;
-- the signing chain of the workstation; the workstation's settings.

CREATE TABLE certificates (
	number         TEXT PRIMARY KEY, -- certificate.Number as printed
	device         TEXT NOT NULL,
	year           INTEGER NOT NULL,
	seq            INTEGER NOT NULL,
	codice_fiscale TEXT NOT NULL,
	type           TEXT NOT NULL, -- slug
	issued_at      TEXT NOT NULL,
	data           TEXT NOT NULL, -- JSON of certificate.Certificate
	stamp          TEXT NOT NULL, -- the QR code's text
	data_seq       INTEGER NOT NULL,
	-- What it cost, for the counter's takings: the bollo paid with the
	-- marca and the comune's diritti di segreteria (certificate.Fees), in
	-- cents, and the comune's fees then (JSON of certificate.ComuneFees).
	bollo_cents    INTEGER NOT NULL DEFAULT 0,
	diritti_cents  INTEGER NOT NULL DEFAULT 0,
	fees           TEXT NOT NULL DEFAULT '{}',
	operator       TEXT NOT NULL DEFAULT '',
	flag           TEXT NOT NULL DEFAULT '', -- the hub's word at sync
	UNIQUE (device, year, seq)
);

CREATE INDEX certificates_person ON certificates (codice_fiscale, issued_at);
CREATE INDEX certificates_takings ON certificates (operator, issued_at);
CREATE INDEX certificates_flagged ON certificates (flag) WHERE flag <> '';

-- The certificate an OpCertificate operation carries.
ALTER TABLE outbox ADD COLUMN cert_number TEXT REFERENCES certificates (number);

-- wire-independent JSON of app.KeyCert: the chain a stamp carries.
ALTER TABLE profile ADD COLUMN device_cert TEXT NOT NULL DEFAULT '';
ALTER TABLE profile ADD COLUMN comune_cert TEXT NOT NULL DEFAULT '';
-- When the hub refused the workstation's token (revoked, or unknown): it
-- then issues nothing that a verifier would have to refuse.
ALTER TABLE profile ADD COLUMN refused_at TEXT NOT NULL DEFAULT '';

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
