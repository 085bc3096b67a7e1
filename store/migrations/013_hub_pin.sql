-- The fingerprint of the hub's TLS key that the enrolment code carried:
-- every connection to the hub is checked against it. Empty for a profile
-- enrolled before pins (a loopback hub over HTTP, or a hub behind a
-- reverse proxy with a certificate the machine's roots trust).
ALTER TABLE profile ADD COLUMN hub_pin TEXT NOT NULL DEFAULT '';
