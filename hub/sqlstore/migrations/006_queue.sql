-- The queue (eliminacode): every ticket of every day, for "call next" and
-- the statistics. The day's tickets are also published to the comune's
-- workstations as records (queue_ticket, queue_state); this table keeps
-- the history after those records are dropped at the turn of the day.
CREATE TABLE queue_tickets (
	id           TEXT PRIMARY KEY, -- the ticket fact's UUID
	comune       TEXT NOT NULL,
	day          TEXT NOT NULL,    -- YYYY-MM-DD, Europe/Rome
	area         TEXT NOT NULL,
	status       TEXT NOT NULL,
	counter      TEXT NOT NULL DEFAULT '',
	data         TEXT NOT NULL,    -- the whole ticket, JSON of sync/wire.Ticket
	-- The call that picked the ticket: a repeated call request gets the
	-- same ticket back instead of another one.
	call_request TEXT
);
CREATE INDEX queue_tickets_day ON queue_tickets (comune, day, status, area);
CREATE UNIQUE INDEX queue_tickets_call ON queue_tickets (call_request) WHERE call_request IS NOT NULL;

-- The last number given per comune, day and area: "A017".
CREATE TABLE queue_numbers (
	comune TEXT NOT NULL,
	day    TEXT NOT NULL,
	area   TEXT NOT NULL,
	last   INTEGER NOT NULL,
	PRIMARY KEY (comune, day, area)
) WITHOUT ROWID;
