-- Issue 11: a restored hub never gives a confirmed number twice.
--
-- A hub restored from a backup cannot know which protocol numbers and
-- blocks of IUVs it handed out after that backup: the workstations hold
-- them. Every comune of a restored hub is in recovery (the "registro di
-- emergenza" of DPR 445/2000 art. 63) until each of its devices listed
-- here has sent back what the hub had confirmed to it; meanwhile nothing
-- new is numbered. A comune with no row left is out of recovery.
CREATE TABLE recovery_devices (
	device  TEXT PRIMARY KEY REFERENCES devices (id),
	comune  TEXT NOT NULL,
	since   TEXT NOT NULL,           -- the restore
	seen_at TEXT NOT NULL DEFAULT '' -- its last exchange since the restore
);
CREATE INDEX recovery_devices_comune ON recovery_devices (comune);

-- What happened to each awaited device, for the hub's administrator:
-- awaited at a restore, reconciled, released by a person (who, why),
-- released by its revocation, and each comune's end of recovery.
CREATE TABLE recovery_log (
	id     INTEGER PRIMARY KEY,
	at     TEXT NOT NULL,
	comune TEXT NOT NULL,
	device TEXT NOT NULL DEFAULT '',
	event  TEXT NOT NULL, -- awaited, reconciled, released, revoked, ended
	actor  TEXT NOT NULL DEFAULT '',
	reason TEXT NOT NULL DEFAULT ''
);
