-- Issue 10: what the hub needs to trust a device no further than its role.
--
-- A device's role is fixed by the enrolment code an administrator made for
-- it; devices and codes made before roles existed are counters, as they
-- were treated.
ALTER TABLE enroll_codes ADD COLUMN role TEXT NOT NULL DEFAULT 'counter';
ALTER TABLE devices ADD COLUMN role TEXT NOT NULL DEFAULT 'counter';

-- Every read of another comune's citizen at the hub: who (device, the
-- operator the device named), when, whom, why. A comune answers a
-- citizen's access request from here.
CREATE TABLE citizen_reads (
	id             INTEGER PRIMARY KEY,
	at             TEXT NOT NULL,
	device         TEXT NOT NULL REFERENCES devices(id),
	device_comune  TEXT NOT NULL,
	operator       TEXT NOT NULL,
	subject        TEXT NOT NULL, -- codice fiscale of the citizen read
	subject_comune TEXT NOT NULL,
	purpose        TEXT NOT NULL
);
CREATE INDEX citizen_reads_subject ON citizen_reads (subject, at);

-- A certificate whose certified name or birth date differ from the hub's
-- anagrafe for the codice fiscale, where the workstation had no older data
-- to excuse it: recorded, so that its verification says NON VALIDO.
ALTER TABLE certificates ADD COLUMN mismatch INTEGER NOT NULL DEFAULT 0;
