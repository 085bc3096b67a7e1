-- Issue 10: operators prove who they are. An operator's signing key is
-- derived from the password at login (key_params; the public key to check
-- the derivation), and every privileged operation carries the proof of the
-- operator it names, made when it was queued.
ALTER TABLE operators ADD COLUMN key_params TEXT NOT NULL DEFAULT '';
ALTER TABLE operators ADD COLUMN public_key BLOB;
ALTER TABLE outbox ADD COLUMN proof_operator TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN proof_signature BLOB;
