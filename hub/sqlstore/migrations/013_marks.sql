-- Issue 11: the hub and its workstations agree on what was applied.
--
-- The hub's epoch names this copy of its database: a new one is drawn
-- here and by every restore, so a workstation recognises a hub restored
-- from a backup even when the restore lost nothing of its own.
CREATE TABLE hub_state (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	epoch       TEXT NOT NULL,
	restored_at TEXT NOT NULL DEFAULT ''
);
INSERT INTO hub_state (id, epoch) VALUES (1, lower(hex(randomblob(16))));

-- A device's high-water mark: the highest seq of its operations the hub
-- applied and how many it applied, kept in the transaction that applies
-- one, so that a backup holds the marks of exactly what it holds.
CREATE TABLE device_marks (
	device  TEXT PRIMARY KEY REFERENCES devices(id),
	seq     INTEGER NOT NULL,
	applied INTEGER NOT NULL
);
INSERT INTO device_marks (device, seq, applied) SELECT device, max(seq), count(*) FROM ops GROUP BY device;

-- The marks of the newest backup known to be sound, per device: what a
-- restore from it would still hold.
CREATE TABLE backup_marks (
	device   TEXT PRIMARY KEY,
	seq      INTEGER NOT NULL,
	applied  INTEGER NOT NULL,
	taken_at TEXT NOT NULL
);
