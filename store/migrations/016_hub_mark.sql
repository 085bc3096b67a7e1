-- Issue 11: the hub's high-water mark for this workstation, as last seen,
-- so that a hub restored from an older backup is noticed: its epoch
-- changes, or its mark falls below what it had confirmed.
CREATE TABLE hub_mark (
	id          INTEGER PRIMARY KEY CHECK (id = 1),
	epoch       TEXT NOT NULL,
	seq         INTEGER NOT NULL, -- highest seq of ours the hub applied
	applied     INTEGER NOT NULL, -- how many of ours it applied
	backed_up   INTEGER NOT NULL, -- seq in its newest sound backup, -1 none
	seen_at     TEXT NOT NULL,
	restored_at TEXT NOT NULL DEFAULT '', -- when we last found the hub restored
	resent      INTEGER NOT NULL DEFAULT 0 -- how many operations we put back in line then
);
