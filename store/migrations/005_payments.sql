-- Payments at the counter (app/payment): the blocks of IUVs the hub gave
-- the workstation, the positions it numbered from them until the hub has
-- them, the payments it took with their receipts, and the closed days.

-- The hub's records looked up by codice avviso (the scanner) and by plate.
CREATE INDEX records_position_avviso ON records (json_extract(data, '$.codice_avviso')) WHERE kind = 'position';
CREATE INDEX records_fine_plate ON records (json_extract(data, '$.targa')) WHERE kind = 'fine';

CREATE TABLE iuv_blocks (
	first       INTEGER PRIMARY KEY, -- IUV base
	last        INTEGER NOT NULL,
	next        INTEGER NOT NULL,    -- the next base to use; last + 1 when used up
	aux         INTEGER NOT NULL,
	code        TEXT NOT NULL,
	received_at TEXT NOT NULL
);

-- Positions numbered here (JSON of payment.Position). They stay as the
-- trail of what was printed; the hub's record supersedes them once it came.
CREATE TABLE local_positions (
	id         TEXT PRIMARY KEY,
	avviso     TEXT NOT NULL UNIQUE,
	debtor_cf  TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	data       TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX local_positions_debtor ON local_positions (debtor_cf);

-- Payments taken here (JSON of payment.Payment), with the hub's answer.
CREATE TABLE payments (
	receipt     TEXT PRIMARY KEY,
	device      TEXT NOT NULL,
	year        INTEGER NOT NULL,
	seq         INTEGER NOT NULL,
	position_id TEXT NOT NULL,
	avviso      TEXT NOT NULL,
	operator    TEXT NOT NULL,
	day         TEXT NOT NULL, -- AAAA-MM-GG
	amount      INTEGER NOT NULL,
	method      TEXT NOT NULL,
	data        TEXT NOT NULL,
	duplicate   INTEGER NOT NULL DEFAULT 0, -- the hub found the position paid already
	refund      TEXT NOT NULL DEFAULT '',
	UNIQUE (device, year, seq)
);
CREATE INDEX payments_day ON payments (operator, day);
CREATE INDEX payments_position ON payments (position_id);

-- Closed days (JSON of payment.Closing, signed): no payment of the operator
-- on the day is taken after it.
CREATE TABLE cash_closings (
	operator  TEXT NOT NULL,
	day       TEXT NOT NULL,
	device    TEXT NOT NULL,
	data      TEXT NOT NULL,
	closed_at TEXT NOT NULL,
	PRIMARY KEY (operator, day)
);
