-- Payments (app/payment): the IUV numbering of each comune, the blocks
-- given to workstations, every payment received (counter or pagoPA node),
-- and the closed days of the workstations' operators. Positions, fines
-- and refunds themselves are records (003_records.sql).

-- The next IUV base of a comune's aux digit and code.
CREATE TABLE iuv_counters (
	comune TEXT NOT NULL,
	aux    INTEGER NOT NULL,
	code   TEXT NOT NULL,
	next   INTEGER NOT NULL,
	PRIMARY KEY (comune, aux, code)
);

CREATE TABLE iuv_blocks (
	comune       TEXT NOT NULL,
	device       TEXT NOT NULL REFERENCES devices (id),
	aux          INTEGER NOT NULL,
	code         TEXT NOT NULL,
	first        INTEGER NOT NULL,
	last         INTEGER NOT NULL,
	allocated_at TEXT NOT NULL,
	PRIMARY KEY (comune, aux, code, first)
);
CREATE INDEX iuv_blocks_device ON iuv_blocks (device);

-- Which position a codice avviso pays.
CREATE TABLE position_avvisi (
	avviso      TEXT PRIMARY KEY,
	comune      TEXT NOT NULL,
	position_id TEXT NOT NULL
);

-- Every payment, in the order the hub applied it: a second one of the same
-- position is recorded too, and opens a refund.
CREATE TABLE payments (
	receipt      TEXT PRIMARY KEY,
	comune       TEXT NOT NULL,
	position_id  TEXT NOT NULL,
	avviso       TEXT NOT NULL,
	amount       INTEGER NOT NULL,
	channel      TEXT NOT NULL,
	method       TEXT NOT NULL,
	device       TEXT NOT NULL,
	operator     TEXT NOT NULL,
	day          TEXT NOT NULL,
	paid_at      TEXT NOT NULL,
	received_at  TEXT NOT NULL,
	duplicate_of TEXT NOT NULL DEFAULT '' -- the earlier receipt of the position
);
CREATE INDEX payments_position ON payments (comune, position_id);
CREATE INDEX payments_day ON payments (device, operator, day);

CREATE TABLE cash_closings (
	device      TEXT NOT NULL,
	operator    TEXT NOT NULL,
	day         TEXT NOT NULL,
	comune      TEXT NOT NULL,
	total       INTEGER NOT NULL,
	hub_total   INTEGER NOT NULL, -- what the hub had received of the day's payments
	data        TEXT NOT NULL,    -- JSON of payment.Closing, signed
	received_at TEXT NOT NULL,
	PRIMARY KEY (device, operator, day)
);
