-- Issue 10: operators prove who they are. Each operator's signing keys, the
-- current one (replaced_at '') and those a password change replaced: an
-- operation a workstation signed offline before the change still verifies
-- with the key of its time, for app.OperatorKeyGrace after the change.
CREATE TABLE operator_keys (
	comune      TEXT NOT NULL,
	username    TEXT NOT NULL,
	public_key  BLOB NOT NULL,
	valid_from  TEXT NOT NULL,
	replaced_at TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (comune, username, public_key)
);
