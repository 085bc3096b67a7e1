-- The queue tickets this workstation issued (kiosk or counter): the number
-- it would print offline ("A-W2-017"), the hub's number once the hub has
-- answered ("A017"), and the one actually printed.
CREATE TABLE queue_issued (
	id             TEXT PRIMARY KEY, -- the ticket fact's UUID
	day            TEXT NOT NULL,    -- YYYY-MM-DD, Europe/Rome
	area           TEXT NOT NULL,
	local_seq      INTEGER NOT NULL,
	local          TEXT NOT NULL,
	number         TEXT NOT NULL DEFAULT '', -- the hub's, '' until it answers
	ahead          INTEGER NOT NULL DEFAULT 0,
	wait_minutes   INTEGER NOT NULL DEFAULT 0,
	codice_fiscale TEXT NOT NULL DEFAULT '',
	appointment    TEXT NOT NULL DEFAULT '',
	issued_at      TEXT NOT NULL,
	printed        TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX queue_issued_local ON queue_issued (day, area, local_seq);

-- Wrong identifications at the kiosk, per codice fiscale and for the whole
-- kiosk ('*'); rows older than the lockout are pruned as new ones come.
CREATE TABLE kiosk_attempts (
	key      TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	last     TEXT NOT NULL
) WITHOUT ROWID;
