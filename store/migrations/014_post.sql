-- Certificates by post (app/post): how far the posting of each request has
-- gone on this workstation. Each column is set in the transaction of the
-- fact it records (the certificate, the postage's position, the request's
-- move), so that posting again after a failure does only what is missing.
CREATE TABLE post_dispatches (
	request       TEXT PRIMARY KEY,
	certificate   TEXT NOT NULL UNIQUE REFERENCES certificates (number),
	position      TEXT NOT NULL DEFAULT '',
	status_queued INTEGER NOT NULL DEFAULT 0,
	operator      TEXT NOT NULL,
	at            TEXT NOT NULL
);
