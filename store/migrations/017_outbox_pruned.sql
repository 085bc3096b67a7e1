-- Issue 11: audit operations the hub confirmed, and held in a backup it
-- confirmed, leave the outbox after PruneAfter (the events stay in the
-- audit table). What was removed is still counted in the mark the
-- workstation sends, so that a restored hub is judged on everything it
-- had confirmed.
ALTER TABLE hub_mark ADD COLUMN pruned INTEGER NOT NULL DEFAULT 0;     -- how many operations removed
ALTER TABLE hub_mark ADD COLUMN pruned_top INTEGER NOT NULL DEFAULT 0; -- the highest seq among them
